package org.multiwebsocket.webapp;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Chromium;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.ScriptedGateway;
import org.multiwebsocket.testing.ScriptedGateway.Connection;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;
import java.util.Map;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The browser client's side of sessions (PROTOCOL.md section 10) in headless Chromium, against a gateway
 * whose every frame the test writes.
 */
class BrowserSessionsTest {

    private static final String SERVICES = "{\"echo\":{\"transports\":[\"websocket\"]},"
            + "\"count\":{\"transports\":[\"websocket\"],\"stream\":true}}";
    private static final String LIMITS = "{\"heartbeatMs\":0,\"sessionTtlMs\":120000,\"sessionBufferBytes\":1048576}";

    private static ChromeDriver driver;
    private ScriptedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        if (driver == null) {
            driver = Chromium.start(800, 600);
        }
        gateway = new ScriptedGateway(SERVICES, LIMITS);
        driver.get(gateway.base().toString());
        ((JavascriptExecutor) driver).executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "var s = document.createElement('script'); s.src = '/multiwebsocket.js'; s.onload = function () { done(); };"
                + "document.head.appendChild(s);");
        script("window.events = []; window.results = {};"
                + "window.client = new MultiWebsocket.Client({ 'service-discovery-url': '" + gateway.discovery() + "',"
                + "  'reconnect-initial-delay-ms': 10, 'reconnect-max-delay-ms': 50 });"
                + "client.on('session-resumed', () => events.push('resumed'))"
                + "  .on('session-lost', (e) => events.push('lost ' + e.code + ' ' + e.name + ' ' + e.data.reason))"
                + "  .on('reconnected', () => events.push('reconnected'));"
                + "window.call = (key) => client.callService('echo', { key }).then("
                + "  (r) => { results[key] = JSON.stringify(r); },"
                + "  (e) => { results[key] = 'failed ' + e.code + ' ' + e.name + ': ' + e.message; });"
                + "client.connect();");
    }

    @AfterEach
    void stop() throws Exception {
        script("window.client && client.close();");
        gateway.close();
    }

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    private Object script(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> results() {
        return (Map<String, Object>) script("return results;");
    }

    private static void newSession(Connection connection, String id) throws Exception {
        JsonObject request = connection.json(5);
        assertEquals("rpc.session", request.getString("method"), request.toString());
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, request.getJsonObject("params"));
        connection.send(answer(request, "{\"session\":\"" + id + "\",\"token\":\"secret-" + id
                + "\",\"resumed\":false,\"known\":[],\"ttlMs\":120000}", 0));
    }

    private static String answer(JsonObject request, String resultJson, long seq) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + resultJson
                + (seq > 0 ? ",\"seq\":" + seq : "") + "}";
    }

    @Test
    void aResumeSendsAgainOnlyTheCallsTheGatewayDoesNotKnowAndEachIsAnsweredOnce() throws Exception {
        Connection first = gateway.next(5);
        newSession(first, "s1");
        script("call('a'); call('b'); call('c');");
        List<JsonObject> sent = List.of(first.json(5), first.json(5), first.json(5));
        first.cut();

        Connection second = gateway.next(5);
        JsonObject resume = second.json(5).getJsonObject("params").getJsonObject("resume");
        assertEquals("s1", resume.getString("session"));
        assertEquals("secret-s1", resume.getString("token"));
        assertEquals(0, resume.getInt("ack"));
        second.send(answer(Json.object("{\"id\":\"rpc.session\"}"), "{\"session\":\"s1\",\"token\":\"secret-s1\","
                + "\"resumed\":true,\"known\":[" + sent.get(0).get("id") + "," + sent.get(1).get("id") + "],\"ttlMs\":1}", 0));
        JsonObject resent = second.json(5);
        assertEquals(sent.get(2), resent, "only the call the gateway did not know goes out again, as it was");
        second.send(answer(sent.get(0), "\"A\"", 1));
        second.send(answer(sent.get(1), "\"B\"", 2));
        second.send(answer(sent.get(1), "\"B twice\"", 2));
        second.send(answer(resent, "\"C\"", 3));
        await().atMost(5, SECONDS).until(() -> results().size() == 3);
        assertEquals(Map.of("a", "\"A\"", "b", "\"B\"", "c", "\"C\""), results());
        assertEquals(List.of("resumed", "reconnected"), script("return events;"));
        JsonObject ack = second.json(5);
        assertEquals("rpc.ack", ack.getString("method"), "a second after the last message: " + ack);
        assertEquals(3, ack.getJsonObject("params").getInt("seq"));
        assertNull(second.textWithin(500), "nothing is sent again");
    }

    @Test
    void aStreamInFlightCarriesOnAfterTheResumeWithEveryItemOnceAndAnAbandonedKnownCallIsCancelled() throws Exception {
        Connection first = gateway.next(5);
        newSession(first, "s1");
        script("window.items = []; (async () => { for await (const n of client.stream('count', {})) { items.push(n); }"
                + " results.stream = 'done'; })().catch((e) => { results.stream = 'failed ' + e.code; });"
                + "client.callService('echo', { key: 'abandoned' }, { timeoutMs: 300 })"
                + "  .catch((e) => { results.abandoned = e.name; });");
        JsonObject stream = first.json(5);
        JsonObject abandoned = first.json(5);
        assertEquals("count", stream.getString("method"));
        first.send(item(stream, 1, 1));
        await().atMost(5, SECONDS).until(() -> ((List<?>) script("return items;")).size() == 1);
        first.cut();
        await().atMost(5, SECONDS).until(() -> Boolean.FALSE.equals(script("return client.isReady();")));
        await("the call abandoned meanwhile").atMost(5, SECONDS).until(() -> "TimeoutError".equals(results().get("abandoned")));

        Connection second = gateway.next(5);
        second.json(5);
        second.send(answer(Json.object("{\"id\":\"rpc.session\"}"), "{\"session\":\"s1\",\"token\":\"secret-s1\","
                + "\"resumed\":true,\"known\":[" + stream.get("id") + "," + abandoned.get("id") + "],\"ttlMs\":1}", 0));
        JsonObject cancel = second.json(5);
        assertEquals("rpc.cancel", cancel.getString("method"), cancel.toString());
        assertEquals(abandoned.get("id"), cancel.getJsonObject("params").get("id"));
        second.send(item(stream, 1, 1));
        second.send(item(stream, 2, 2));
        second.send(answer(stream, "{\"items\":2}", 3));
        await().atMost(5, SECONDS).until(() -> "done".equals(results().get("stream")));
        assertEquals(List.of(1L, 2L), script("return items;"));
    }

    private static String item(JsonObject call, int index, long seq) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.item\",\"params\":{\"id\":" + call.get("id") + ",\"index\":"
                + index + ",\"item\":" + index + "},\"seq\":" + seq + "}";
    }

    @Test
    void aSessionTheGatewayCannotResumeFailsTheCallsInFlightWithMinus32007AndANewSessionStarts() throws Exception {
        Connection first = gateway.next(5);
        newSession(first, "s1");
        script("call('a');");
        first.json(5);
        first.cut();
        await().atMost(5, SECONDS).until(() -> Boolean.FALSE.equals(script("return client.isReady();")));
        script("call('later');");

        Connection second = gateway.next(5);
        second.json(5);
        second.send("{\"jsonrpc\":\"2.0\",\"id\":\"rpc.session\",\"error\":{\"code\":-32007,\"message\":\"Not resumable\","
                + "\"data\":{\"reason\":\"unknown or expired session\"}}}");
        newSession(second, "s2");
        JsonObject later = second.json(5);
        assertEquals("later", later.getJsonObject("params").getString("key"), "only the call never sent goes out");
        second.send(answer(later, "\"L\"", 1));
        await().atMost(5, SECONDS).until(() -> results().size() == 2);
        String failure = (String) results().get("a");
        assertEquals("failed -32007 SessionLostError", failure.substring(0, failure.indexOf(':')));
        assertEquals("\"L\"", results().get("later"));
        assertEquals(List.of("lost -32007 SessionLostError unknown or expired session", "reconnected"),
                script("return events;"));
    }

    @Test
    void acksGoOutAfter32MessagesAndWhenTheClientCloses() throws Exception {
        Connection connection = gateway.next(5);
        newSession(connection, "s1");
        script("client.subscribe('chat', (data) => { window.last = data; });");
        JsonObject subscribe = connection.json(5);
        connection.send(answer(subscribe, "{\"topic\":\"chat\",\"offset\":0,\"epoch\":\"e1\",\"recovered\":true}", 1));
        for (int seq = 2; seq <= 33; seq++) {
            connection.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.message\",\"params\":{\"topic\":\"chat\",\"offset\":"
                    + (seq - 1) + ",\"epoch\":\"e1\",\"data\":" + seq + "},\"seq\":" + seq + "}");
        }
        JsonObject ack = connection.json(5);
        assertEquals(32, ack.getJsonObject("params").getInt("seq"));
        await().atMost(5, SECONDS).until(() -> Long.valueOf(33).equals(script("return window.last;")));
        script("client.close();");
        JsonObject last = connection.json(5);
        assertEquals("rpc.ack", last.getString("method"));
        assertEquals(33, last.getJsonObject("params").getInt("seq"));
    }
}
