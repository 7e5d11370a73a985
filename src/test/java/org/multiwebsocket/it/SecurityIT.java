package org.multiwebsocket.it;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.PlainJWT;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.client.ClientOptions;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.Latches;
import org.multiwebsocket.testing.RawWebSocket;
import org.multiwebsocket.testing.Tokens;
import org.multiwebsocket.testing.WsClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/** PROTOCOL.md section 6: origins, bearer tokens, roles and expiry, on the socket and over HTTP. */
class SecurityIT extends GatewayDeployment {

    private RawWebSocket handshake(Map<String, String> headers) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(Map.of("Sec-WebSocket-Protocol", "multiwebsocket.v1"));
        all.putAll(headers);
        return new RawWebSocket(gatewayUri(), all);
    }

    private String self() {
        return "http://" + base.getHost() + ":" + base.getPort();
    }

    private static int code(JsonObject response) {
        return response.getJsonObject("error").getInt("code");
    }

    private static String frameAnswer(RawWebSocket socket, String frame) throws Exception {
        socket.sendText(frame);
        RawWebSocket.Frame answer;
        do {
            answer = socket.read(5_000);
        } while (answer.opcode() != RawWebSocket.TEXT);
        return answer.text();
    }

    @Test
    void aForeignOriginIsRefusedWith403BeforeAnyFrame() throws Exception {
        List<String> hostile = List.of("https://evil.example.com", "null", "http://" + base.getHost(),
                "http://" + base.getHost() + ":" + (base.getPort() + 1), "javascript:alert(1)",
                "http://localhost:" + base.getPort() + "@evil.example.com", "https://allowed.example.org.evil.com",
                "x".repeat(5000), "http://[::1", "file://");
        for (String origin : hostile) {
            try (RawWebSocket socket = handshake(Map.of("Origin", origin))) {
                assertEquals(403, socket.status(), origin + " → " + socket.handshakeResponse());
            }
        }
        for (String origin : List.of(self(), "https://allowed.example.org", "HTTPS://ALLOWED.EXAMPLE.ORG/")) {
            try (RawWebSocket socket = handshake(Map.of("Origin", origin))) {
                assertEquals(101, socket.status(), origin + " → " + socket.handshakeResponse());
            }
        }
        try (RawWebSocket noOrigin = handshake(Map.of())) {
            assertEquals(101, noOrigin.status());
        }
    }

    @Test
    void discoveryAndTheHttpTransportAnswerCorsForAllowedOriginsOnly() throws Exception {
        HttpResponse<String> allowed = get("api/discover", "Origin", "https://allowed.example.org");
        assertEquals(200, allowed.statusCode());
        assertEquals("https://allowed.example.org", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        assertEquals(403, get("api/discover", "Origin", "https://evil.example.com").statusCode());
        assertEquals(200, get("api/discover", "Origin", self()).statusCode());

        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(uri("api/rpc"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://allowed.example.org")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, authorization").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));

        HttpResponse<String> foreignPost = HTTP.send(HttpRequest.newBuilder(uri("api/rpc"))
                .header("Content-Type", "application/json").header("Origin", "https://evil.example.com")
                .POST(HttpRequest.BodyPublishers.ofString(request(1, "helloworld", null))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreignPost.statusCode());
    }

    @Test
    void aValidTokenInTheHeaderOrTheSubprotocolNamesTheCaller() throws Exception {
        String hs256 = Tokens.valid("ada", "admin");
        try (RawWebSocket socket = handshake(Map.of("Authorization", "Bearer " + hs256))) {
            assertEquals(101, socket.status(), socket.handshakeResponse());
            assertEquals("ada", Json.object(frameAnswer(socket, request(1, "test/whoami", null))).getString("result"));
            assertEquals("secret for ada", Json.object(frameAnswer(socket, request(2, "test/admin", null))).getString("result"));
        }
        String rs256 = Tokens.rs256(Tokens.claims("grace", List.of("auditor"), Instant.now().plusSeconds(600)).build());
        try (RawWebSocket socket = new RawWebSocket(gatewayUri(),
                Map.of("Sec-WebSocket-Protocol", "multiwebsocket.v1, bearer." + rs256))) {
            assertEquals(101, socket.status(), socket.handshakeResponse());
            String response = socket.handshakeResponse().toLowerCase();
            assertTrue(response.contains("sec-websocket-protocol: multiwebsocket.v1"), response);
            assertFalse(response.contains("bearer"), "the token was echoed: " + response);
            assertEquals("grace", Json.object(frameAnswer(socket, request(1, "test/whoami", null))).getString("result"));
            assertEquals("secret for grace", Json.object(frameAnswer(socket, request(2, "test/admin", null))).getString("result"));
        }
    }

    @Test
    void theJavaClientPresentsItsBearerToken() throws Exception {
        String url = uri("api/discover").toString();
        try (JavaClientIT.SeedClient client = new JavaClientIT.SeedClient(url,
                Map.of(ClientOptions.BEARER_TOKEN, Tokens.valid("ada", "admin")))) {
            client.connect().get(10, TimeUnit.SECONDS);
            assertEquals("websocket", client.transport());
            assertEquals("ada", client.callService("test/whoami", null, String.class).get(5, TimeUnit.SECONDS));
            assertEquals("secret for ada", client.callService("test/admin", null, String.class).get(5, TimeUnit.SECONDS));
        }
        try (JavaClientIT.SeedClient forged = new JavaClientIT.SeedClient(url,
                Map.of(ClientOptions.BEARER_TOKEN, "forged"))) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> forged.connect().get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("no gateway"), refused.getCause().getMessage());
        }
    }

    @Test
    void aBadTokenIsRefusedWith401AtTheHandshake() throws Exception {
        Instant hour = Instant.now().plusSeconds(3600);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("garbage", "Bearer not.a.jwt");
        bad.put("wrong secret", "Bearer " + Tokens.hs256(Tokens.claims("eve", List.of("admin"), hour).build(),
                "another-secret-that-is-also-32-bytes-long"));
        bad.put("expired", "Bearer " + Tokens.hs256(Tokens.claims("eve", List.of(), Instant.now().minusSeconds(600)).build()));
        bad.put("wrong issuer", "Bearer " + Tokens.hs256(Tokens.claims("eve", List.of(), hour).issuer("https://evil.test").build()));
        bad.put("wrong audience", "Bearer " + Tokens.hs256(Tokens.claims("eve", List.of(), hour).audience("other").build()));
        bad.put("no expiry", "Bearer " + Tokens.hs256(Tokens.claims("eve", List.of(), hour).expirationTime(null).build()));
        bad.put("unsigned", "Bearer " + new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(),
                Tokens.claims("eve", List.of("admin"), hour).build()).serialize());
        bad.put("basic", "Basic ZXZlOmV2ZQ==");
        bad.put("empty bearer", "Bearer ");
        for (Map.Entry<String, String> token : bad.entrySet()) {
            try (RawWebSocket socket = handshake(Map.of("Authorization", token.getValue()))) {
                assertEquals(401, socket.status(), token.getKey() + " → " + socket.handshakeResponse());
            }
            HttpResponse<String> http = HTTP.send(HttpRequest.newBuilder(uri("api/rpc"))
                    .header("Content-Type", "application/json").header("Authorization", token.getValue())
                    .POST(HttpRequest.BodyPublishers.ofString(request(1, "test/whoami", null))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, http.statusCode(), token.getKey());
            assertEquals(-32001, code(Json.object(http.body())));
        }
        try (RawWebSocket socket = new RawWebSocket(gatewayUri(),
                Map.of("Sec-WebSocket-Protocol", "multiwebsocket.v1, bearer.forged"))) {
            assertEquals(401, socket.status());
        }
    }

    @Test
    void rolesDecideWhoMayCallAServiceAndNothingElseLeaks() throws Exception {
        try (WsClient anonymous = WsClient.connect(gatewayUri())) {
            JsonObject refused = anonymous.call(request(1, "test/admin", null));
            assertEquals(-32001, code(refused));
            assertEquals("Unauthenticated", refused.getJsonObject("error").getString("message"));
            assertEquals("anonymous", anonymous.call(request(2, "test/whoami", null)).getString("result"));
        }
        try (RawWebSocket user = handshake(Map.of("Authorization", "Bearer " + Tokens.valid("bob", "user")))) {
            JsonObject forbidden = Json.object(frameAnswer(user, request(1, "test/admin", null)));
            assertEquals(-32002, code(forbidden));
            assertEquals("Forbidden", forbidden.getJsonObject("error").getString("message"));
            assertFalse(forbidden.getJsonObject("error").containsKey("data"), forbidden.toString());
        }
        JsonObject services = Json.object(get("api/discover").body()).getJsonObject("services");
        assertEquals(List.of("admin", "auditor"), services.getJsonObject("test/admin").getJsonArray("roles")
                .getValuesAs(jakarta.json.JsonString::getString));
        assertFalse(services.getJsonObject("helloworld").containsKey("roles"));
    }

    @Test
    void theHttpTransportAppliesTheSameRules() throws Exception {
        assertEquals(-32001, code(rpc(request(1, "test/admin", null))));
        HttpResponse<String> user = HTTP.send(HttpRequest.newBuilder(uri("api/rpc"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + Tokens.valid("bob", "user"))
                .POST(HttpRequest.BodyPublishers.ofString(request(1, "test/admin", null))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(-32002, code(Json.object(user.body())));
        HttpResponse<String> admin = HTTP.send(HttpRequest.newBuilder(uri("api/rpc"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + Tokens.valid("ada", "admin"))
                .POST(HttpRequest.BodyPublishers.ofString(request(1, "test/admin", null))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("secret for ada", Json.object(admin.body()).getString("result"));
    }

    /**
     * The call in flight waits until the test lets it go, which it does once a later call was refused
     * for the expired token; the test asks again every 100 ms rather than guessing when the server's
     * expiry ran. The call's own deadline (3 s) is the budget for all of this: the token expires 1 to
     * 2 s after the call started.
     */
    @Test
    void aConnectionWhoseTokenExpiresIsClosedWith1008AfterItsCallsInFlight() throws Exception {
        Latches latches = new Latches(uri("api/rpc"));
        String inFlight = Latches.key("in-flight-at-expiry");
        long expiresAt = Instant.now().getEpochSecond() + 2;
        String token = Tokens.hs256(Tokens.claims("brief", List.of(), Instant.ofEpochSecond(expiresAt)).build());
        try (RawWebSocket socket = handshake(Map.of("Authorization", "Bearer " + token))) {
            assertEquals(101, socket.status(), socket.handshakeResponse());
            socket.sendText(request("slow", "test/latch", Latches.params(inFlight, 20_000)));
            latches.awaitStarted(inFlight);
            int[] asked = {0};
            JsonObject late = await("a call after the token expired is refused").atMost(Duration.ofSeconds(10))
                    .pollInSameThread().pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        String id = "late-" + ++asked[0];
                        JsonObject answer = Json.object(frameAnswer(socket, request(id, "test/whoami", null)));
                        assertEquals(id, answer.getString("id"), "not the answer to " + id + ": " + answer);
                        return answer;
                    }, answer -> answer.containsKey("error"));
            assertEquals(-32001, code(late), late.toString());
            assertEquals(0, latches.finished(inFlight), "the call in flight was no longer running");
            latches.open(inFlight);
            List<String> texts = new ArrayList<>();
            RawWebSocket.Frame frame;
            do {
                frame = socket.read(8_000);
                if (frame.opcode() == RawWebSocket.TEXT) {
                    texts.add(frame.text());
                }
            } while (frame.opcode() != RawWebSocket.CLOSE);
            assertEquals(1008, frame.closeCode());
            assertEquals(1, texts.size(), texts.toString());
            JsonObject slow = Json.object(texts.get(0));
            assertEquals("slow", slow.getString("id"), slow.toString());
            assertEquals("opened", slow.getString("result"), slow.toString());
        }
    }

    /** Open connections as the server counts them (asked over HTTP, which opens none). */
    private int serverConnections() throws Exception {
        return rpc(request(1, "test/probe", null)).getJsonObject("result").getInt("connections");
    }

    private void awaitServerConnections(int expected) {
        await("the server holds " + expected + " connection(s)").atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertEquals(expected, serverConnections(), "open connections on the server"));
    }

    @Test
    void tooManyConnectionsFromOneAddressAreRefused() throws Exception {
        int limit = 200; // multiwebsocket.max-connections-per-address in arquillian.xml
        awaitServerConnections(0);
        List<RawWebSocket> open = new ArrayList<>();
        try {
            int refusedAtHandshake = 0;
            for (int i = 0; i < limit + 20; i++) {
                RawWebSocket socket = handshake(Map.of());
                open.add(socket);
                if (socket.status() != 101) {
                    assertEquals(503, socket.status(), socket.handshakeResponse());
                    assertTrue(socket.handshakeResponse().contains("Retry-After"), socket.handshakeResponse());
                    refusedAtHandshake++;
                }
            }
            // A handshake that raced past the check is closed with 1013 as soon as it opens:
            // either way the server ends up holding exactly the limit.
            awaitServerConnections(limit);
            assertTrue(refusedAtHandshake > 0, "no handshake was refused with 503");
        } finally {
            for (RawWebSocket socket : open) {
                socket.close();
            }
        }
        awaitServerConnections(0);
    }

    /**
     * The slow client asks for 20 MB of answers and reads none of them (nor answers pings). Meanwhile the
     * healthy client's calls, one answered on the socket's own thread and one by a worker, must each be
     * answered within WsClient's bounded wait (5 s). That bound alone would not catch a healthy client
     * held until the slow one is gone, since the heartbeat (1 s here) drops a client that answers no
     * pings within 2 to 3 s. What keeps the test able to fail is that the slow client must be closed by
     * the slow-consumer rule, 1008, as soon as its unread answers pass the limit: a gateway that
     * blocked on it instead would leave it to the heartbeat (1001) or never drop it (the bounded wait).
     */
    @Test
    void aClientThatStopsReadingIsClosedAndOthersAreNotSlowed() throws Exception {
        int requests = 200;
        try (RawWebSocket slow = handshake(Map.of()); WsClient healthy = WsClient.connect(gatewayUri())) {
            slow.answeringPings(false);
            for (int i = 0; i < requests; i++) {
                slow.sendText(request(i, "test/bulk", "{\"size\":100000}"));
            }
            assertEquals("pong", healthy.call(request("ping", "rpc.ping", null)).getString("result"));
            assertEquals("Hello, World!", healthy.call(request("hello", "helloworld", null))
                    .getJsonObject("result").getString("greeting"));
            RawWebSocket.Frame frame;
            int answers = 0;
            do {
                frame = slow.read(20_000);
                if (frame.opcode() == RawWebSocket.TEXT) {
                    answers++;
                }
            } while (frame.opcode() != RawWebSocket.CLOSE);
            assertEquals(1008, frame.closeCode(), "after " + answers + " answers: " + frame.text());
            assertTrue(answers < requests, "every answer was delivered: the client was never considered slow");
            assertTrue(frame.text().contains("slow consumer"), frame.text());
            assertTrue(healthy.isOpen(), "the healthy client was closed");
        }
    }
}
