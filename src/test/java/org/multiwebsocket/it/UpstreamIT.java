package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.multiwebsocket.client.MultiWebsocketClient;
import org.multiwebsocket.client.ServiceCallException;
import org.multiwebsocket.it.inventory.InventoryApplication;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.MicroProcess;
import org.multiwebsocket.testing.TcpProxy;
import org.multiwebsocket.testing.Tokens;
import org.multiwebsocket.testing.WsClient;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * Upstream webservices end to end, on two Payara Micro processes shared by every test: the inventory (a
 * small Jakarta REST service in {@code it/inventory} with its own OpenAPI document) and the gateway
 * (the product WAR with the test services), configured by system properties alone. TCP proxies in front
 * of the inventory stop and restart it as the gateway sees it.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class UpstreamIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String API_KEY = "s3cret-api-key-never-logged";
    private static final AtomicInteger IDS = new AtomicInteger();
    private static MicroProcess inventory;
    private static MicroProcess gateway;
    private static TcpProxy proxy;
    private static TcpProxy lateProxy;
    private static String inventoryUrl;
    private static String gatewayUrl;

    @BeforeAll
    static void start() throws Exception {
        File inventoryWar = new File(System.getProperty("java.io.tmpdir"), "inventory.war");
        ShrinkWrap.create(WebArchive.class, "inventory.war").addPackage(InventoryApplication.class.getPackage())
                .addAsResource("org/multiwebsocket/it/inventory/openapi.yaml")
                .as(ZipExporter.class).exportTo(inventoryWar, true);
        File gatewayWar = new File(System.getProperty("java.io.tmpdir"), "upstream-gateway.war");
        GatewayDeployment.deployment().as(ZipExporter.class).exportTo(gatewayWar, true);
        int inventoryPort = MicroProcess.freePort();
        int gatewayPort = MicroProcess.freePort();
        inventoryUrl = "http://127.0.0.1:" + inventoryPort;
        gatewayUrl = "http://localhost:" + gatewayPort;
        List<String> inventoryJvm = new ArrayList<>(MicroProcess.FAST_START);
        inventoryJvm.add("-Xmx320m");
        inventory = MicroProcess.start(inventoryJvm, List.of("--deploy", inventoryWar.getAbsolutePath(), "--port",
                Integer.toString(inventoryPort), "--nohazelcast", "--disablephonehome"), inventoryPort);
        proxy = new TcpProxy("127.0.0.1", inventoryPort);
        lateProxy = new TcpProxy("127.0.0.1", inventoryPort);
        lateProxy.cut();
        String document = "/inventory/api/openapi.yaml";
        List<String> jvm = new ArrayList<>(MicroProcess.FAST_START);
        jvm.addAll(List.of("-Xmx512m", "-Dmultiwebsocket.call-timeout-ms=4000",
                "-Dmultiwebsocket.jwt.issuer=" + Tokens.ISSUER, "-Dmultiwebsocket.jwt.audience=" + Tokens.AUDIENCE,
                "-Dmultiwebsocket.jwt.hs256-secret=" + Tokens.SECRET,
                "-Dmultiwebsocket.upstreams=inventory,quick,secure,test,late",
                "-Dmultiwebsocket.upstream-reload-ms=1000", "-Dmultiwebsocket.upstream-retry-max-ms=1000",
                // two keys are enough: the base URL is the document's server path on the document's host
                "-Dmultiwebsocket.upstream.inventory.openapi=http://127.0.0.1:" + proxy.port() + document,
                "-Dmultiwebsocket.upstream.inventory.timeout-ms=20000",
                "-Dmultiwebsocket.upstream.inventory.failure-threshold=3",
                "-Dmultiwebsocket.upstream.inventory.open-ms=1500",
                "-Dmultiwebsocket.upstream.quick.url=" + inventoryUrl + "/inventory/api",
                "-Dmultiwebsocket.upstream.quick.openapi=" + document,
                "-Dmultiwebsocket.upstream.quick.include=slow",
                "-Dmultiwebsocket.upstream.quick.timeout-ms=1000",
                "-Dmultiwebsocket.upstream.secure.url=" + inventoryUrl + "/inventory/api",
                "-Dmultiwebsocket.upstream.secure.openapi=openapi.yaml",
                "-Dmultiwebsocket.upstream.secure.include=echo",
                "-Dmultiwebsocket.upstream.secure.roles=admin",
                "-Dmultiwebsocket.upstream.secure.forward-authorization=true",
                "-Dmultiwebsocket.upstream.secure.headers=X-Api-Key",
                "-Dmultiwebsocket.upstream.secure.header.X-Api-Key=" + API_KEY,
                "-Dmultiwebsocket.upstream.test.openapi=" + inventoryUrl + document,
                "-Dmultiwebsocket.upstream.test.include=echo",
                "-Dmultiwebsocket.upstream.late.openapi=http://127.0.0.1:" + lateProxy.port() + document,
                "-Dmultiwebsocket.upstream.late.include=getItem",
                "-Dmultiwebsocket.upstream.late.required=true"));
        gateway = MicroProcess.start(jvm, List.of("--deploy", gatewayWar.getAbsolutePath(), "--contextroot", "/", "--port",
                Integer.toString(gatewayPort), "--nohazelcast", "--disablephonehome"), gatewayPort);
        assertTrue(inventory.awaitReady(180), inventory.output());
        assertTrue(gateway.awaitReady(180), gateway.output());
        await().atMost(30, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS).ignoreExceptions()
                .until(() -> services().containsKey("inventory/getItem") && services().containsKey("secure/echo"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[]{gateway, inventory, proxy, lateProxy}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    // ---- helpers

    private static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject services() throws Exception {
        return Json.object(get(gatewayUrl + "/api/discover").body()).getJsonObject("services");
    }

    private static JsonObject stats() throws Exception {
        return Json.object(get(inventoryUrl + "/inventory/api/stats").body());
    }

    /** Requests the inventory received for its operations (not its document, not its counters). */
    private static int operationRequests() throws Exception {
        return stats().getJsonObject("requests").entrySet().stream()
                .filter(e -> !e.getKey().endsWith("/openapi.yaml") && !e.getKey().endsWith("/stats"))
                .mapToInt(e -> ((jakarta.json.JsonNumber) e.getValue()).intValue()).sum();
    }

    /** The data of the upstreams' readiness check. */
    private static JsonObject readiness(String body) {
        return Json.object(body).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(check -> check.getString("name").equals("multiwebsocket-upstreams")).findFirst().orElseThrow()
                .getJsonObject("data");
    }

    private static JsonObject rpc(String method, String params, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/rpc")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request(IDS.incrementAndGet(), method, params)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return Json.object(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static WsClient socket() throws Exception {
        return WsClient.connect(URI.create(gatewayUrl.replace("http", "ws") + "/gateway"));
    }

    private static JsonObject call(WsClient ws, String method, String params) throws Exception {
        return ws.call(request(IDS.incrementAndGet(), method, params));
    }

    private static JsonObject error(JsonObject response) {
        assertTrue(response.containsKey("error"), response.toString());
        return response.getJsonObject("error");
    }

    private static JsonValue result(JsonObject response) {
        assertTrue(response.containsKey("result"), response.toString());
        return response.get("result");
    }

    private static int count(String text, String needle) {
        Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    // ---- the tests, in name order

    @Test
    void a1_discoveryListsTheOperationsBesideTheBeanServices() throws Exception {
        JsonObject services = services();
        JsonObject getItem = services.getJsonObject("inventory/getItem");
        assertEquals("inventory", getItem.getString("upstream"));
        assertEquals("Reads an item", getItem.getString("description"));
        assertEquals(List.of("websocket", "http"), getItem.getJsonArray("transports").getValuesAs(jakarta.json.JsonString::getString));
        assertEquals("[\"id\"]", getItem.getJsonObject("params").getJsonArray("required").toString());
        assertEquals("#/definitions/NewItem", services.getJsonObject("inventory/createItem").getJsonObject("params")
                .getJsonObject("properties").getJsonObject("body").getString("$ref"));
        for (String id : List.of("listItems", "createItem", "updateItem", "deleteItem", "echo", "slow", "large", "stats", "text", "fail")) {
            assertTrue(services.containsKey("inventory/" + id), id);
        }
        assertFalse(services.keySet().stream().anyMatch(name -> name.contains("nameless")));
        assertTrue(services.containsKey("helloworld"));
        assertEquals(List.of("quick/slow"), services.keySet().stream().filter(n -> n.startsWith("quick/")).toList());
        assertEquals("[\"admin\"]", services.getJsonObject("secure/echo").getJsonArray("roles").toString());
        assertNull(services.getJsonObject("test/echo").get("upstream"), "the bean service keeps its name");
        assertFalse(services.keySet().stream().anyMatch(n -> n.startsWith("late/")), "late is down");
    }

    @Test
    void a2_aConflictIsReportedOnceAndKeptOut() throws Exception {
        String log = gateway.output();
        assertEquals(1, count(log, "upstream test: kept out of the gateway: its operations would shadow other services"), log);
        assertTrue(log.contains("test/echo (a @Service bean)"), log);
        try (WsClient ws = socket()) {
            JsonObject bean = result(call(ws, "test/echo", "{\"value\":\"v\"}")).asJsonObject();
            assertEquals("test/echo", bean.getString("service"), "the bean service answers");
            assertEquals(Json.object("{\"value\":\"v\"}"), bean.getJsonObject("params"));
        }
    }

    @Test
    void b1_createReadListReplaceDeleteOverTheSocket() throws Exception {
        try (WsClient ws = socket()) {
            JsonObject created = result(call(ws, "inventory/createItem",
                    "{\"body\":{\"name\":\"bolt\",\"quantity\":7,\"tags\":[\"metal\"],\"note\":null}}")).asJsonObject();
            String id = created.getString("id");
            assertEquals("bolt", created.getString("name"));
            JsonObject conflict = error(call(ws, "inventory/createItem", "{\"body\":{\"name\":\"bolt\",\"quantity\":1}}"));
            assertEquals(409, conflict.getInt("code"));
            assertEquals("Conflict", conflict.getString("message"));
            assertEquals(409, conflict.getJsonObject("data").getInt("status"));
            assertEquals(id, conflict.getJsonObject("data").getJsonObject("body").getString("id"));
            assertEquals(created, result(call(ws, "/inventory/getItem/", "{\"id\":\"" + id + "\"}")));
            result(call(ws, "inventory/createItem", "{\"body\":{\"name\":\"nut\",\"quantity\":3,\"tags\":[\"metal\"]}}"));
            result(call(ws, "inventory/createItem", "{\"body\":{\"name\":\"rope\",\"quantity\":1,\"tags\":[\"fibre\"]}}"));
            assertEquals(2, result(call(ws, "inventory/listItems", "{\"tag\":\"metal\"}")).asJsonArray().size());
            assertEquals(1, result(call(ws, "inventory/listItems", "{\"tag\":\"metal\",\"limit\":1}")).asJsonArray().size());
            JsonObject replaced = result(call(ws, "inventory/updateItem", "{\"id\":\"" + id + "\",\"body\":{\"name\":\"bolt\",\"quantity\":9}}"))
                    .asJsonObject();
            assertEquals(9, replaced.getInt("quantity"));
            assertEquals(JsonValue.NULL, result(call(ws, "inventory/deleteItem", "{\"id\":\"" + id + "\"}")));
            JsonObject gone = error(call(ws, "inventory/getItem", "{\"id\":\"" + id + "\"}"));
            assertEquals(404, gone.getInt("code"));
            assertEquals("Not Found", gone.getString("message"));
            assertEquals(Json.object("{\"status\":404,\"body\":{\"error\":\"no such item\",\"id\":\"" + id + "\"}}"), gone.getJsonObject("data"));
            assertEquals("plain text", ((jakarta.json.JsonString) result(call(ws, "inventory/text", "{}"))).getString());
            JsonObject teapot = error(call(ws, "inventory/fail", "{\"status\":418}"));
            assertEquals(418, teapot.getInt("code"));
            assertEquals("HTTP 418", teapot.getString("message"));
        }
    }

    @Test
    void b2_overHttpAsOverTheSocket() throws Exception {
        JsonValue items = result(rpc("inventory/listItems", "{}"));
        assertTrue(items.asJsonArray().size() >= 2, items.toString());
        assertEquals(404, error(rpc("inventory/getItem", "{\"id\":\"none\"}")).getInt("code"));
    }

    @Test
    void b3_theJavaClientCallsAnOperationLikeABeanService() throws Exception {
        try (MultiWebsocketClient client = new MultiWebsocketClient(URI.create(gatewayUrl + "/api/discover"))) {
            client.connect().get(10, TimeUnit.SECONDS);
            JsonValue created = client.callService("inventory/createItem", Map.of("body", Map.of("name", "client", "quantity", 2)))
                    .get(10, TimeUnit.SECONDS);
            String id = created.asJsonObject().getString("id");
            assertEquals("client", client.callService("inventory/getItem", Map.of("id", id)).get(10, TimeUnit.SECONDS)
                    .asJsonObject().getString("name"));
            ExecutionException missing = assertThrows(ExecutionException.class,
                    () -> client.callService("inventory/getItem", Map.of("id", "none")).get(10, TimeUnit.SECONDS));
            assertEquals(404, assertInstanceOf(ServiceCallException.class, missing.getCause()).code());
            ExecutionException invalid = assertThrows(ExecutionException.class,
                    () -> client.callService("inventory/getItem", Map.of()).get(10, TimeUnit.SECONDS));
            assertEquals(-32602, assertInstanceOf(ServiceCallException.class, invalid.getCause()).code());
        }
    }

    @Test
    void c1_invalidParamsNeverLeaveTheGateway() throws Exception {
        int before = operationRequests();
        try (WsClient ws = socket()) {
            JsonObject missing = error(call(ws, "inventory/getItem", "{}"));
            assertEquals(-32602, missing.getInt("code"));
            assertEquals(Json.parse("[{\"path\":\"params.id\",\"message\":\"required property 'id' not found\"}]"),
                    missing.getJsonObject("data").get("violations"));
            JsonObject body = error(call(ws, "inventory/createItem", "{\"body\":{\"name\":\"\",\"quantity\":\"many\"},\"x\":1}"));
            assertEquals(-32602, body.getInt("code"));
            List<String> paths = body.getJsonObject("data").getJsonArray("violations").getValuesAs(JsonObject.class).stream()
                    .map(v -> v.getString("path")).toList();
            assertEquals(List.of("params", "params.body.name", "params.body.quantity"), paths, body.toString());
            assertEquals(-32602, error(call(ws, "inventory/listItems", "{\"limit\":1000}")).getInt("code"));
            assertEquals(-32602, error(call(ws, "inventory/getItem", "[\"x\"]")).getInt("code"));
        }
        assertEquals(before, operationRequests(), "no request reached the inventory");
    }

    @Test
    void c2_aValueCannotChangeThePathOrAddAQueryParameter() throws Exception {
        int statsBefore = stats().getJsonObject("requests").getInt("/inventory/api/stats");
        try (WsClient ws = socket()) {
            for (String value : List.of("../stats", "../../inventory/api/stats", "a?q=injected", "a#frag", "a%2Fb", "a/b",
                    "%2e%2e", "..%2Fstats", "a;b=c", "été ✓")) {
                JsonObject response = call(ws, "inventory/echo",
                        jakarta.json.Json.createObjectBuilder().add("value", value).add("q", "x&limit=1").build().toString());
                if (response.containsKey("error")) {
                    // the inventory's server refuses some encoded slashes: an error of the echo path, nothing else reached
                    int code = response.getJsonObject("error").getInt("code");
                    assertTrue(code == 400 || code == 404, value + ": " + response);
                    continue;
                }
                JsonObject echo = result(response).asJsonObject();
                assertEquals(value, echo.getString("value"), echo.toString());
                assertTrue(echo.getString("rawPath").startsWith("/inventory/api/echo/"), echo.toString());
                assertEquals(Json.parse("{\"q\":[\"x&limit=1\"]}"), echo.getJsonObject("query"), echo.toString());
            }
            for (String value : List.of("..", ".", "")) {
                assertEquals(-32602, error(call(ws, "inventory/echo", "{\"value\":\"" + value + "\"}")).getInt("code"), value);
            }
            for (String note : List.of("a\\r\\nX-Injected: yes", "a\\nb", "a\\u0000b")) {
                assertEquals(-32602, error(call(ws, "inventory/echo", "{\"value\":\"v\",\"X-Note\":\"" + note + "\"}")).getInt("code"));
            }
            JsonObject echo = result(call(ws, "inventory/echo", "{\"value\":\"v\",\"X-Note\":\"hi there\",\"list\":[\"a\",\"b\"],"
                    + "\"many\":[1,2],\"filter\":{\"color\":\"red\"}}")).asJsonObject();
            assertEquals("hi there", echo.getString("note"));
            assertEquals(Json.parse("{\"list\":[\"a,b\"],\"many\":[\"1\",\"2\"],\"filter[color]\":[\"red\"]}"),
                    echo.getJsonObject("query"), echo.toString());
        }
        JsonObject seen = stats().getJsonObject("requests");
        assertEquals(statsBefore + 1, seen.getInt("/inventory/api/stats"), "no call reached another operation: " + seen);
    }

    @Test
    void d1_aLargeResponseIsRefusedNotBufferedWhole() throws Exception {
        try (WsClient ws = socket()) {
            assertTrue(result(call(ws, "inventory/large", "{\"kb\":8}")).asJsonArray().getString(0).length() == 8 * 1024);
            for (String chunked : List.of("false", "true")) {
                int aborted = stats().getInt("aborted");
                JsonObject tooLarge = error(call(ws, "inventory/large", "{\"kb\":8000,\"chunked\":" + chunked + "}"));
                assertEquals(-32603, tooLarge.getInt("code"));
                assertTrue(tooLarge.getJsonObject("data").getString("reason").contains("larger than maxMessageBytes"));
                if (chunked.equals("true")) {
                    await().atMost(10, TimeUnit.SECONDS).until(() -> stats().getInt("aborted") > aborted);
                }
            }
        }
    }

    @Test
    void d2_theUpstreamTimeoutTheDeadlineAndCancelAbortTheRequest() throws Exception {
        try (WsClient ws = socket()) {
            int aborted = stats().getInt("aborted");
            JsonObject timeout = error(call(ws, "quick/slow", "{\"ms\":10000}"));
            assertEquals(-32003, timeout.getInt("code"));
            assertEquals(1000, timeout.getJsonObject("data").getInt("timeoutMs"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> stats().getInt("aborted") > aborted);

            int beforeDeadline = stats().getInt("aborted");
            JsonObject deadline = error(call(ws, "inventory/slow", "{\"ms\":15000}"));
            assertEquals(-32003, deadline.getInt("code"));
            assertEquals(4000, deadline.getJsonObject("data").getInt("timeoutMs"), "the call's deadline");
            await().atMost(10, TimeUnit.SECONDS).until(() -> stats().getInt("aborted") > beforeDeadline);

            int beforeCancel = stats().getInt("aborted");
            ws.send(request("slow-1", "inventory/slow", "{\"ms\":15000}"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> stats().getInt("started") > stats().getInt("completed")
                    + stats().getInt("aborted"));
            ws.send(Json.notification("rpc.cancel", "{\"id\":\"slow-1\"}"));
            JsonObject cancelled = ws.nextObject();
            assertEquals(-32005, error(cancelled).getInt("code"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> stats().getInt("aborted") > beforeCancel);
        }
    }

    @Test
    void e1_theUpstreamStoppedOpensTheCircuitAndItRecovers() throws Exception {
        try (WsClient ws = socket()) {
            proxy.cut();
            try {
                for (int i = 0; i < 3; i++) {
                    JsonObject unreachable = error(call(ws, "inventory/getItem", "{\"id\":\"x\"}"));
                    assertEquals(-32006, unreachable.getInt("code"));
                    assertTrue(unreachable.getJsonObject("data").getString("reason").contains("cannot be reached"), unreachable.toString());
                    assertTrue(unreachable.getJsonObject("data").getInt("retryAfterMs") > 0);
                }
                JsonObject open = error(call(ws, "inventory/getItem", "{\"id\":\"x\"}"));
                assertEquals(-32006, open.getInt("code"));
                assertTrue(open.getJsonObject("data").getString("reason").contains("circuit open"), open.toString());
                int retryAfterMs = open.getJsonObject("data").getInt("retryAfterMs");
                assertTrue(retryAfterMs > 0 && retryAfterMs <= 1500, open.toString());
                assertTrue(services().containsKey("inventory/getItem"), "the loaded document stays in use");
            } finally {
                proxy.restore();
            }
            await().atMost(15, TimeUnit.SECONDS).pollInterval(300, TimeUnit.MILLISECONDS)
                    .until(() -> call(ws, "inventory/getItem", "{\"id\":\"none\"}").getJsonObject("error").getInt("code") == 404);
        }
    }

    @Test
    void e2_theDocumentIsReloadedAndABrokenOneIsReportedOnceAndIgnored() throws Exception {
        HttpResponse<String> switched = HTTP.send(HttpRequest.newBuilder(URI.create(inventoryUrl + "/inventory/api/admin/document/v2"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, switched.statusCode(), switched.body());
        try {
            await().atMost(15, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                    .until(() -> services().containsKey("inventory/countItems"));
            try (WsClient ws = socket()) {
                assertTrue(result(call(ws, "inventory/countItems", "{}")).asJsonObject().containsKey("count"));
            }
            HTTP.send(HttpRequest.newBuilder(URI.create(inventoryUrl + "/inventory/api/admin/document/broken"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            String needle = "upstream inventory: its OpenAPI document from http://127.0.0.1:" + proxy.port()
                    + "/inventory/api/openapi.yaml cannot be used";
            await().atMost(15, TimeUnit.SECONDS).until(() -> gateway.output().contains(needle));
            Thread.sleep(2_500); // two more reloads of the same broken document
            assertEquals(1, count(gateway.output(), needle), "reported once");
            assertTrue(gateway.output().contains("(the previous document stays in use)"));
            assertTrue(services().containsKey("inventory/countItems"), "the previous document stays in use");
        } finally {
            HTTP.send(HttpRequest.newBuilder(URI.create(inventoryUrl + "/inventory/api/admin/document/v1"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        }
        await().atMost(15, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .until(() -> !services().containsKey("inventory/countItems"));
    }

    @Test
    void f1_anUpstreamDownAtBootAppearsWhenItsDocumentLoads() throws Exception {
        HttpResponse<String> down = get(gatewayUrl + "/health/ready");
        assertEquals(503, down.statusCode(), down.body());
        assertEquals("late,test", readiness(down.body()).getString("missing"), down.body());
        assertTrue(readiness(down.body()).getString("test").startsWith("missing: kept out of the gateway"), down.body());
        lateProxy.restore();
        await().atMost(15, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .until(() -> services().containsKey("late/getItem"));
        HttpResponse<String> up = get(gatewayUrl + "/health/ready");
        assertEquals(200, up.statusCode(), up.body());
        assertEquals("test", readiness(up.body()).getString("missing"), "an optional upstream does not make it DOWN");
    }

    @Test
    void g1_rolesTheCallersTokenTraceparentAndTheApiKey() throws Exception {
        assertEquals(-32001, error(rpc("secure/echo", "{\"value\":\"v\"}")).getInt("code"));
        String user = Tokens.valid("bob", "user");
        assertEquals(-32002, error(rpc("secure/echo", "{\"value\":\"v\"}", "Authorization", "Bearer " + user)).getInt("code"));
        String admin = Tokens.valid("alice", "admin");
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        JsonObject echo = result(rpc("secure/echo", "{\"value\":\"v\"}", "Authorization", "Bearer " + admin,
                "traceparent", trace)).asJsonObject();
        assertEquals("Bearer " + admin, echo.getString("authorization"));
        assertEquals(API_KEY, echo.getString("apiKey"));
        assertEquals(trace, echo.getString("traceparent"));
        JsonObject plain = result(rpc("inventory/echo", "{\"value\":\"v\"}", "Authorization", "Bearer " + admin)).asJsonObject();
        assertEquals("null", plain.getString("authorization"), "not forwarded unless configured");
        assertEquals("null", plain.getString("apiKey"));
        assertFalse(gateway.output().contains(API_KEY), "the API key is never logged");
    }

    @Test
    void h1_metricsPerUpstream() throws Exception {
        String metrics = get(gatewayUrl + "/metrics?scope=application").body();
        assertTrue(metrics.contains("multiwebsocket_upstream_calls_total{mp_scope=\"application\",outcome=\"ok\",upstream=\"inventory\"}"),
                metrics);
        assertTrue(metrics.contains("outcome=\"404\",upstream=\"inventory\""), metrics);
        assertTrue(metrics.contains("outcome=\"timeout\",upstream=\"quick\""), metrics);
        assertTrue(metrics.contains("multiwebsocket_upstream_circuit_state{mp_scope=\"application\",upstream=\"inventory\"} 0"), metrics);
        assertTrue(metrics.contains("multiwebsocket_upstream_duration_seconds_count{mp_scope=\"application\",upstream=\"inventory\"}"),
                metrics);
    }
}
