package org.multiwebsocket.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.discovery.Discovery;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.WsClient;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.notification;
import static org.multiwebsocket.testing.Json.request;

/** Discovery (PROTOCOL.md section 1) and the HTTP transport (section 7), on a real Payara Micro. */
class HttpAndDiscoveryIT extends GatewayDeployment {

    /** What differs by nature between two answers to the same call: error ids and the transport name. */
    private static final Pattern VARYING = Pattern.compile("\"errorId\":\"[^\"]*\"|\"transport\":\"[a-z]+\"");

    @Test
    void discoveryListsExactlyTheDeployedServicesWithWorkingAbsoluteUrls() throws Exception {
        HttpResponse<String> response = get("api/discover");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject document = Json.object(response.body());
        assertEquals("multiwebsocket.v1", document.getString("protocol"));
        assertEquals(Set.of("helloworld", "autocomplete", "test/sleep", "test/probe", "test/fail", "test/boom",
                        "test/later", "test/echo", "test/sum", "test/validated", "test/scoped", "test/whoami", "test/admin",
                        "test/nothing", "test/bulk", "test/kick", "test/latch", "test/latch/open", "test/latch/state",
                        "test/drain", "test/method-admin", "test/disabled", "test/stubborn", "test/teardown",
                        "test/internals", "test/stream", "test/publish", "test/once", "test/once/runs", "test/sessions", "test/soak",
                        "test/soak/count", "test/grid/safe", "test/subscribers", "words",
                        "chat/send"),
                document.getJsonObject("services").keySet());
        JsonObject hello = document.getJsonObject("services").getJsonObject("helloworld");
        assertEquals(List.of("websocket", "http"), hello.getJsonArray("transports").getValuesAs(jakarta.json.JsonString::getString));
        assertEquals("Greets the caller", hello.getString("description"));
        assertEquals(gatewayUri().toString(), document.getString("gateway"));
        assertEquals(List.of(gatewayUri().toString()),
                document.getJsonArray("gateways").getValuesAs(jakarta.json.JsonString::getString));
        assertEquals(uri("api/rpc").toString(), document.getString("http"));
        JsonObject limits = document.getJsonObject("limits");
        assertEquals(65536, limits.getInt("maxMessageBytes"));
        assertEquals(100, limits.getInt("maxBatch"));
        assertEquals(256, limits.getInt("maxInFlight"));
        assertEquals(3000, limits.getInt("callTimeoutMs"));
        assertEquals(1000, limits.getInt("heartbeatMs"));

        try (WsClient ws = WsClient.connect(URI.create(document.getString("gateway")))) {
            assertEquals("Hello, Ada!", ws.call(request(1, "helloworld", "{\"name\":\"Ada\"}"))
                    .getJsonObject("result").getString("greeting"));
            assertEquals(document, ws.call(request(2, "rpc.discover", null)).getJsonObject("result"));
        }
        HttpResponse<String> viaHttp = HTTP.send(HttpRequest.newBuilder(URI.create(document.getString("http")))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(request(1, "helloworld", null))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, viaHttp.statusCode());
    }

    @Test
    void discoveryHonoursForwardedHeadersFromATrustedProxy() throws Exception {
        String path = base.getPath();
        // arquillian.xml trusts 127.0.0.2 as a proxy: these requests come from there
        JsonObject xForwarded = Json.object(getFrom("127.0.0.2", "api/discover",
                "X-Forwarded-Proto: https", "X-Forwarded-Host: gw.example.org"));
        assertEquals("wss://gw.example.org" + path + "gateway", xForwarded.getString("gateway"));
        assertEquals("https://gw.example.org" + path + "api/rpc", xForwarded.getString("http"));

        JsonObject forwarded = Json.object(getFrom("127.0.0.2", "api/discover",
                "Forwarded: for=192.0.2.60;proto=https;host=\"edge.example.org:8443\", for=10.0.0.1"));
        assertEquals("wss://edge.example.org:8443" + path + "gateway", forwarded.getString("gateway"));

        JsonObject untrusted = Json.object(get("api/discover", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "gw.example.org").body());
        assertEquals(gatewayUri().toString(), untrusted.getString("gateway"));

        JsonObject plain = Json.object(get("api/discover").body());
        assertTrue(plain.getString("gateway").startsWith("ws://"), plain.getString("gateway"));
    }

    @Test
    void theHttpTransportAnswersLikeTheSocket() throws Exception {
        List<String> frames = List.of(
                request(1, "/helloworld/", "{\"name\":\"Ada\"}"),
                request(2, "autocomplete", "{\"query\":\"tab\",\"limit\":4}"),
                request(3, "nosuch", null),
                request(4, "autocomplete", "[1]"),
                request(5, "test/validated", "{\"name\":\"\",\"email\":\"x\",\"age\":0}"),
                request(6, "test/fail", null),
                request(7, "test/boom", null),
                request(8, "rpc.ping", null),
                request(9, "test/later", "{\"never\":true}"),
                "{\"jsonrpc\":\"1.0\",\"id\":10,\"method\":\"helloworld\"}",
                "not json",
                "[]",
                "[" + request(11, "helloworld", null) + "," + notification("helloworld", null) + ",42]");
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            for (String frame : frames) {
                HttpResponse<String> http = post("api/rpc", frame);
                assertEquals(200, http.statusCode(), frame);
                String socket = ws.nextTextAfter(frame);
                assertEquals(normalise(socket), normalise(http.body()), frame);
            }
        }
    }

    private static String normalise(String answer) {
        JsonValue value = Json.parse(VARYING.matcher(answer).replaceAll("\"varying\":0"));
        if (value instanceof JsonArray array) {
            return array.stream().map(JsonValue::toString).sorted().toList().toString();
        }
        return value.toString();
    }

    @Test
    void theHttpTransportAnswersNotificationsWith204() throws Exception {
        assertEquals(204, post("api/rpc", notification("helloworld", null)).statusCode());
        assertEquals(204, post("api/rpc", "[" + notification("helloworld", null) + "," + notification("x", null) + "]").statusCode());
    }

    @Test
    void theHttpTransportRefusesOversizedBodiesAndOtherMediaTypes() throws Exception {
        HttpResponse<String> tooBig = post("api/rpc", request(1, "test/echo", "{\"blob\":\"" + "x".repeat(70_000) + "\"}"));
        assertEquals(413, tooBig.statusCode());
        assertEquals(-32600, Json.object(tooBig.body()).getJsonObject("error").getInt("code"));

        HttpResponse<String> text = HTTP.send(HttpRequest.newBuilder(uri("api/rpc"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(request(1, "rpc.ping", null)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, text.statusCode());

        HttpResponse<String> badUtf8 = HTTP.send(HttpRequest.newBuilder(uri("api/rpc"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{'{', (byte) 0xC3, (byte) 0x28, '}'}))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(-32700, Json.object(badUtf8.body()).getJsonObject("error").getInt("code"));
    }

    @Test
    void aTraceparentReachesTheHandlerFromTheHandshakeOrTheHttpRequest() throws Exception {
        String trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        HttpResponse<String> http = HTTP.send(HttpRequest.newBuilder(uri("api/rpc"))
                .header("Content-Type", "application/json").header("traceparent", trace)
                .POST(HttpRequest.BodyPublishers.ofString(request(1, "test/echo", "{}"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(trace, Json.object(http.body()).getJsonObject("result").getString("traceparent"));
        try (org.multiwebsocket.testing.RawWebSocket socket = new org.multiwebsocket.testing.RawWebSocket(gatewayUri(),
                java.util.Map.of("traceparent", trace))) {
            socket.sendText(request(1, "test/echo", "{}"));
            assertEquals(trace, Json.object(socket.read(5_000).text()).getJsonObject("result").getString("traceparent"));
        }
        HttpResponse<String> malformed = HTTP.send(HttpRequest.newBuilder(uri("api/rpc"))
                .header("Content-Type", "application/json").header("traceparent", "00-zz-not-a-trace")
                .POST(HttpRequest.BodyPublishers.ofString(request(1, "test/echo", "{}"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertFalse(Json.object(malformed.body()).getJsonObject("result").containsKey("traceparent"),
                "a malformed traceparent was passed on: " + malformed.body());
    }

    @Test
    void healthSaysReadyAndLive() throws Exception {
        URI root = URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort() + "/");
        for (String path : List.of("health/ready", "health/live")) {
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(root.resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), path + ": " + health.body());
            assertEquals("UP", Json.object(health.body()).getString("status"), health.body());
        }
    }

    @Test
    void theHttpTransportTellsHandlersItIsHttp() throws Exception {
        JsonObject greeting = rpc(request(1, "helloworld", null)).getJsonObject("result");
        assertEquals("http", greeting.getString("transport"));
    }

    /** An HTTP/1.0 GET sent from the given local address (a proxy's), returning the body. */
    private String getFrom(String localAddress, String path, String... headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort(),
                java.net.InetAddress.getByName(localAddress), 0)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("GET " + base.getPath() + path + " HTTP/1.0\r\nHost: "
                    + base.getHost() + ":" + base.getPort() + "\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200") || response.startsWith("HTTP/1.0 200"), response);
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }
}
