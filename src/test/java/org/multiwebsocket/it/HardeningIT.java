package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.RawWebSocket;
import org.multiwebsocket.testing.WsClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/** Bad input, faulty handlers and a soak with dropped sockets, against the real gateway. */
class HardeningIT extends GatewayDeployment {

    /** What must never reach a client: stack traces, class names, exception texts. */
    private static final Pattern LEAK = Pattern.compile(
            "(?i)exception|\\.java\\b|\\bat [a-z]+\\.|\\borg\\.[a-z]|\\bcom\\.[a-z]|\\bjava\\.[a-z]|\\bjakarta\\.|yasson|parsson|tyrus|grizzly");

    /** The expected outcome of one bad frame: a JSON-RPC error code, a result, or a close code. */
    private record Expect(Integer code, boolean result, Integer close, int httpStatus) {
        static Expect error(int code) {
            return new Expect(code, false, null, 200);
        }

        static Expect answered() {
            return new Expect(null, true, null, 200);
        }

        static Expect closed(int close, int httpStatus) {
            return new Expect(null, false, close, httpStatus);
        }
    }

    private static Map<String, byte[]> corpus() {
        Map<String, byte[]> frames = new LinkedHashMap<>();
        frames.put("truncated JSON", utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"meth"));
        frames.put("10 000-deep arrays", utf8("[".repeat(10_000) + "]".repeat(10_000)));
        frames.put("10 000-deep objects in params", utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":"
                + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}"));
        frames.put("1e999999 as id", utf8("{\"jsonrpc\":\"2.0\",\"id\":1e999999,\"method\":\"rpc.ping\"}"));
        frames.put("1e999999 as limit", utf8(request(1, "autocomplete", "{\"query\":\"ab\",\"limit\":1e999999}")));
        frames.put("1e-999999999 as limit", utf8(request(1, "autocomplete", "{\"query\":\"ab\",\"limit\":1e-999999999}")));
        frames.put("huge id", utf8(request(new java.math.BigInteger("9".repeat(400)), "rpc.ping", null)));
        frames.put("negative fractional id", utf8("{\"jsonrpc\":\"2.0\",\"id\":-0.5,\"method\":\"rpc.ping\"}"));
        frames.put("params a string", utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"helloworld\",\"params\":\"Ada\"}"));
        frames.put("params a number", utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"helloworld\",\"params\":42}"));
        frames.put("params true", utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"helloworld\",\"params\":true}"));
        frames.put("params null", utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"helloworld\",\"params\":null}"));
        frames.put("params array for a record", utf8(request(1, "helloworld", "[\"Ada\"]")));
        frames.put("params object for a list", utf8(request(1, "test/sum", "{\"a\":1}")));
        frames.put("wrong member type", utf8(request(1, "helloworld", "{\"name\":{\"first\":\"Ada\"}}")));
        frames.put("unknown members", utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"helloworld\",\"params\":{\"name\":\"Ada\",\"x\":1},\"extra\":true}"));
        frames.put("duplicate members", utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"rpc.ping\"}"));
        frames.put("a 60 KB method name", utf8(request(1, "m".repeat(60_000), null)));
        frames.put("control characters in the method", utf8(request(1, "hello\u0000world\u001b[31m", null)));
        frames.put("a lone surrogate escape", utf8(request(1, "helloworld", "{\"name\":\"\\ud800\"}")));
        frames.put("rpc.cancel of an unknown id", utf8(request(1, "rpc.cancel", "{\"id\":\"nobody\"}")));
        frames.put("rpc.cancel without params", utf8(request(1, "rpc.cancel", null)));
        frames.put("a 1 MB string", utf8(request(1, "test/echo", "{\"s\":\"" + "x".repeat(1024 * 1024) + "\"}")));
        frames.put("a 50 MB string", utf8(request(1, "test/echo", "{\"s\":\"" + "x".repeat(50 * 1024 * 1024) + "\"}")));
        frames.put("a batch of 100 000", utf8("[" + "1,".repeat(99_999) + "1]"));
        frames.put("invalid UTF-8", new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        return frames;
    }

    private static Map<String, Expect> expectations() {
        Map<String, Expect> expect = new LinkedHashMap<>();
        expect.put("truncated JSON", Expect.error(-32700));
        expect.put("10 000-deep arrays", Expect.error(-32700));
        expect.put("10 000-deep objects in params", Expect.error(-32700));
        expect.put("1e999999 as id", Expect.answered());
        expect.put("1e999999 as limit", Expect.error(-32602));
        expect.put("1e-999999999 as limit", Expect.error(-32602));
        expect.put("huge id", Expect.answered());
        expect.put("negative fractional id", Expect.answered());
        expect.put("params a string", Expect.error(-32600));
        expect.put("params a number", Expect.error(-32600));
        expect.put("params true", Expect.error(-32600));
        expect.put("params null", Expect.error(-32600));
        expect.put("params array for a record", Expect.error(-32602));
        expect.put("params object for a list", Expect.error(-32602));
        expect.put("wrong member type", Expect.error(-32602));
        expect.put("unknown members", Expect.answered());
        expect.put("duplicate members", Expect.answered());
        expect.put("a 60 KB method name", Expect.error(-32601));
        expect.put("control characters in the method", Expect.error(-32601));
        expect.put("a lone surrogate escape", Expect.answered());
        expect.put("rpc.cancel of an unknown id", Expect.answered());
        expect.put("rpc.cancel without params", Expect.error(-32602));
        expect.put("a 1 MB string", Expect.closed(1009, 413));
        expect.put("a 50 MB string", Expect.closed(1009, 413));
        expect.put("a batch of 100 000", Expect.closed(1009, 413));
        expect.put("invalid UTF-8", new Expect(-32700, false, 1007, 200));
        return expect;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertNoLeak(String name, String answer) {
        assertFalse(LEAK.matcher(answer.length() > 2_000 ? answer.substring(0, 2_000) : answer).find(),
                name + " leaked internals: " + answer);
    }

    private void assertJsonRpc(String name, Expect expect, String answer) {
        assertNoLeak(name, answer);
        JsonObject response = Json.object(answer);
        if (expect.result()) {
            assertTrue(response.containsKey("result"), name + ": " + answer);
        } else {
            assertEquals(expect.code(), response.getJsonObject("error").getInt("code"), name + ": " + answer);
        }
    }

    @Test
    void everyBadFrameOnTheSocketIsAnsweredAsTheProtocolSaysAndTheServerGoesOn() throws Exception {
        Map<String, Expect> expectations = expectations();
        try (WsClient bystander = WsClient.connect(gatewayUri())) {
            for (Map.Entry<String, byte[]> bad : corpus().entrySet()) {
                String name = bad.getKey();
                Expect expect = expectations.get(name);
                try (RawWebSocket socket = new RawWebSocket(gatewayUri(), Map.of("Sec-WebSocket-Protocol", "multiwebsocket.v1"))) {
                    assertEquals(101, socket.status());
                    CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                        try {
                            socket.send(RawWebSocket.TEXT, bad.getValue());
                        } catch (java.io.IOException closedWhileSending) {
                            // the gateway closed the connection before the frame was through
                        }
                    });
                    RawWebSocket.Frame frame;
                    try {
                        frame = socket.read(15_000);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(name + ": no answer", e);
                    }
                    sending.get(30, TimeUnit.SECONDS);
                    if (expect.close() != null) {
                        assertEquals(RawWebSocket.CLOSE, frame.opcode(), name + ": " + frame.text());
                        assertEquals((int) expect.close(), frame.closeCode(), name);
                        assertNoLeak(name, frame.text());
                    } else {
                        assertEquals(RawWebSocket.TEXT, frame.opcode(), name);
                        assertJsonRpc(name, expect, frame.text());
                    }
                }
                assertEquals("pong", ((jakarta.json.JsonString) bystander.call(request(name, "rpc.ping", null))
                        .get("result")).getString(), "the gateway stopped serving after: " + name);
            }
        }
    }

    @Test
    void everyBadBodyOnTheHttpTransportIsAnsweredAsTheProtocolSays() throws Exception {
        Map<String, Expect> expectations = expectations();
        for (Map.Entry<String, byte[]> bad : corpus().entrySet()) {
            String name = bad.getKey();
            Expect expect = expectations.get(name);
            HttpResponse<String> response;
            try {
                response = HTTP.send(HttpRequest.newBuilder(uri("api/rpc")).header("Content-Type", "application/json")
                        .timeout(java.time.Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bad.getValue())).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException closedWhileSending) {
                assertEquals(413, expect.httpStatus(), name + ": " + closedWhileSending);
                continue;
            }
            assertEquals(expect.httpStatus(), response.statusCode(), name + ": " + response.body());
            if (expect.httpStatus() == 200) {
                assertJsonRpc(name, expect.close() != null ? Expect.error(expect.code()) : expect, response.body());
            } else {
                assertNoLeak(name, response.body());
            }
        }
        assertEquals(200, post("api/rpc", request(1, "rpc.ping", null)).statusCode());
    }

    @Test
    void faultyHandlersAreAnsweredAndNeverStickTheConnection() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send(request("throws", "test/boom", null));
            ws.send(request("hangs", "test/sleep", "{\"ms\":60000,\"value\":\"x\"}"));
            ws.send(request("null", "test/nothing", null));
            ws.send(request("never", "test/later", "{\"never\":true}"));
            ws.send(request("fine", "helloworld", null));
            Map<String, JsonObject> answers = new LinkedHashMap<>();
            for (int i = 0; i < 5; i++) {
                JsonObject response = Json.object(ws.nextText(10_000));
                answers.put(response.getString("id"), response);
            }
            assertEquals(-32603, answers.get("throws").getJsonObject("error").getInt("code"));
            assertEquals(-32003, answers.get("hangs").getJsonObject("error").getInt("code"));
            assertEquals(JsonValue.NULL, answers.get("null").get("result"));
            assertEquals(-32003, answers.get("never").getJsonObject("error").getInt("code"));
            assertTrue(answers.get("fine").containsKey("result"));
            assertEquals("pong", ((jakarta.json.JsonString) ws.call(request("after", "rpc.ping", null)).get("result")).getString());
        }
    }

    private JsonObject probe(boolean gc) throws Exception {
        return rpc(request(1, "test/probe", "{\"gc\":" + gc + "}")).getJsonObject("result");
    }

    @Test
    void aSoakWithDroppedSocketsAnswersEveryCallOnceAndLeavesNothingBehind() throws Exception {
        long heapBefore = probe(true).getJsonNumber("heapUsed").longValue();
        int connections = 50;
        int callsEach = 1_000;
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger drops = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> runs = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int seed = c;
            runs.add(pool.submit(() -> {
                soak(seed, callsEach, answered, failed, drops);
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(connections * callsEach, answered.get() + failed.get(), "calls lost or counted twice");
        assertTrue(drops.get() > 0, "no socket was dropped");
        await("the server lets go of every connection and call").atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> {
                    JsonObject after = probe(false);
                    assertEquals(0, after.getInt("connections"), "connections left open on the server");
                    assertEquals(0, after.getInt("inFlight"), "calls left in flight on the server");
                });
        long heapAfter = probe(true).getJsonNumber("heapUsed").longValue();
        System.out.printf("soak: %d calls answered, %d failed by %d drops, in %d ms; heap %d MB -> %d MB%n",
                answered.get(), failed.get(), drops.get(), elapsedMs, heapBefore >> 20, heapAfter >> 20);
        assertTrue(heapAfter < heapBefore + (24L << 20),
                "heap grew from " + (heapBefore >> 20) + " MB to " + (heapAfter >> 20) + " MB");
    }

    /** One connection's share: 10 calls in flight, the socket dropped now and then with calls in flight. */
    private void soak(int seed, int calls, AtomicInteger answered, AtomicInteger failed, AtomicInteger drops) throws Exception {
        Random random = new Random(seed);
        int accounted = 0;
        int nextId = 0;
        while (accounted < calls) {
            try (WsClient ws = WsClient.connect(gatewayUri())) {
                Set<Integer> open = new HashSet<>();
                while (accounted < calls) {
                    while (open.size() < 10 && accounted + open.size() < calls) {
                        int id = nextId++;
                        ws.send(request(id, random.nextBoolean() ? "helloworld" : "test/sleep",
                                random.nextBoolean() ? null : "{\"ms\":" + random.nextInt(5) + ",\"value\":\"v\"}"));
                        open.add(id);
                    }
                    if (random.nextInt(150) == 0) {
                        failed.addAndGet(open.size());
                        accounted += open.size();
                        drops.incrementAndGet();
                        break;
                    }
                    JsonObject response = Json.object(ws.nextText(10_000));
                    assertTrue(open.remove(response.getInt("id")), "an answer to no open call: " + response);
                    answered.incrementAndGet();
                    accounted++;
                }
            }
        }
    }
}
