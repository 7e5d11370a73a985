package org.multiwebsocket.it;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.RawWebSocket;
import org.multiwebsocket.testing.Tokens;
import org.multiwebsocket.testing.WsClient;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * The holes a hostile client would look for first, each tried from outside against a real Payara Micro:
 * authorization declared on the handler method, starving the workers, background work past cancels,
 * handshake bookkeeping before authentication, skipping the handshake filter, state kept for closed
 * connections, trusting forwarding headers and the Host, and tokens made for something else.
 */
class HostileClientIT extends GatewayDeployment {

    /** The RS256 key the test server trusts (arquillian.xml), which an attacker may know: it is public. */
    private static final String RS256_PUBLIC_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjCsDiodosN48up/Q7/OM1THYeCTgnq7xVasoKuTTmO0hP36wzt02MbYfT4EFglPzEKz0+R14pEibisQTy6JvmySIn4FzmVsYg4z7m48WEcjbWf+Owo4x9NGeodxQeH3uMDcaoULRdJRCrw8VqC7sp+mCEhi9m4KiTKQ3UYVXRUp8xgQH0i/FFWD/fhC4RLk1rc01HtschjxyLmgS0MW46y35c7A3JP1RFw7PPtP86mav2NCvbU+Cc/DhF+7NlDQaA3ak+DVvZZOJCiBPqvixfUbj8xX5g6DUDjCZV+RRAKTGCM0UHMVM4n/j++7Q/WCu/yT42gBnAlFofB97tPGPtQIDAQAB";

    private static int code(JsonObject response) {
        return response.getJsonObject("error").getInt("code");
    }

    private JsonObject internals(boolean reset) throws Exception {
        return rpc(request(1, "test/internals", "{\"reset\":" + reset + "}"))
                .getJsonObject("result");
    }

    private HttpResponse<String> postAs(String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("api/rpc")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a request head as written, byte for byte, and returns the response head. */
    private String raw(String head) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            StringBuilder response = new StringBuilder();
            while (!response.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                response.append((char) b);
            }
            return response.toString();
        }
    }

    private String handshakeHead(String host, String upgrade, String key, String version, String... extra) {
        StringBuilder head = new StringBuilder("GET " + base.getPath() + "gateway HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append("Upgrade: ").append(upgrade).append("\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: ").append(version).append("\r\n");
        for (String header : extra) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    private String self() {
        return base.getHost() + ":" + base.getPort();
    }

    private static String freshKey() {
        byte[] nonce = new byte[16];
        new java.security.SecureRandom().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    @Test
    void rolesAllowedOnTheCallMethodIsEnforced() throws Exception {
        assertEquals(-32001, code(rpc(request(1, "test/method-admin", null))));
        assertEquals(-32002, code(Json.object(postAs(Tokens.valid("bob", "user"), request(1, "test/method-admin", null)).body())));
        assertEquals("method secret", Json.object(postAs(Tokens.valid("ada", "admin"),
                request(1, "test/method-admin", null)).body()).getString("result"));
        assertEquals(-32002, code(Json.object(postAs(Tokens.valid("ada", "admin"), request(1, "test/disabled", null)).body())));
    }

    @Test
    void discoveryShowsTheEffectiveRoles() throws Exception {
        JsonObject services = Json.object(get("api/discover").body()).getJsonObject("services");
        assertEquals(List.of("admin"), services.getJsonObject("test/method-admin").getJsonArray("roles")
                .getValuesAs(jakarta.json.JsonString::getString));
        JsonArray nobody = services.getJsonObject("test/disabled").getJsonArray("roles");
        assertTrue(nobody.isEmpty(), "a @DenyAll service lists no role that suffices: " + nobody);
        assertFalse(services.getJsonObject("test/echo").containsKey("roles"));
    }

    @Test
    void aClientFloodingABlockingServiceLeavesThreadsForOthers() throws Exception {
        try (WsClient flooder = WsClient.connect(gatewayUri()); WsClient bystander = WsClient.connect(gatewayUri())) {
            for (int i = 0; i < 200; i++) {
                flooder.send(request("f" + i, "test/sleep", "{\"ms\":1500,\"value\":\"slow\"}"));
            }
            for (int i = 0; i < 5; i++) {
                JsonObject answer = bystander.call(request("b" + i, "test/echo", "{\"n\":" + i + "}"));
                assertFalse(answer.containsKey("error"), "the bystander was starved: " + answer);
            }
        }
    }

    @Test
    void cancelledCallsKeepTheirSlotUntilTheirHandlerReturns() throws Exception {
        internals(true);
        int maxInFlight = Json.object(get("api/discover").body()).getJsonObject("limits").getInt("maxInFlight");
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < maxInFlight; i++) {
                    String id = "r" + round + "-" + i;
                    ws.send(request(id, "test/stubborn", "{\"ms\":1500}"));
                    ws.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.cancel\",\"params\":{\"id\":\"" + id + "\"}}");
                }
            }
            int cancelled = 0;
            int overloaded = 0;
            for (int i = 0; i < 3 * maxInFlight; i++) {
                int code = code(Json.object(ws.nextText(10_000)));
                cancelled += code == -32005 ? 1 : 0;
                overloaded += code == -32004 ? 1 : 0;
            }
            assertEquals(3 * maxInFlight, cancelled + overloaded);
            assertTrue(overloaded >= maxInFlight, "cancelled calls gave their slots up while their handlers ran: "
                    + overloaded + " refused");
        }
        assertTrue(internals(false).getInt("stubbornMostRunning") <= maxInFlight,
                "more handlers ran at once than maxInFlight allows");
        await().atMost(10, TimeUnit.SECONDS).until(() -> internals(false).getInt("callsAdmitted") <= 1);
    }

    @Test
    void handshakesThatNeverUpgradeLeaveNothingBehind() throws Exception {
        for (int i = 0; i < 30; i++) {
            String refused = raw(handshakeHead(self(), "websocket", freshKey(), "7"));
            assertFalse(refused.startsWith("HTTP/1.1 101"), refused);
        }
        assertEquals(0, internals(false).getInt("pendingHandshakes"));
    }

    @Test
    void malformedHandshakeKeysAreRefused() throws Exception {
        assertTrue(raw(handshakeHead(self(), "websocket", "short", "13")).startsWith("HTTP/1.1 400"));
        assertTrue(raw(handshakeHead(self(), "websocket", "x".repeat(24), "13")).startsWith("HTTP/1.1 400"));
        assertTrue(raw(handshakeHead(self(), "websocket", freshKey(), "13")).startsWith("HTTP/1.1 101"));
    }

    @Test
    void anUpgradeHeaderListCannotSkipTheHandshakeChecks() throws Exception {
        String response = raw(handshakeHead(self(), "websocket,", freshKey(), "13", "Origin: https://evil.example.org"));
        assertTrue(response.startsWith("HTTP/1.1 403"), response);
    }

    @Test
    void closedAuthenticatedConnectionsLeaveNoTimerBehind() throws Exception {
        String token = Tokens.hs256(Tokens.claims("day", List.of(), Instant.now().plusSeconds(86_400)).build());
        int before = internals(false).getInt("timerTasks");
        for (int i = 0; i < 30; i++) {
            try (RawWebSocket socket = new RawWebSocket(gatewayUri(), Map.of("Authorization", "Bearer " + token))) {
                assertEquals(101, socket.status(), socket.handshakeResponse());
            }
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> internals(false).getInt("timerTasks") <= before + 2);
    }

    @Test
    void requestContextsAreNotTornDownOnAnInterruptedThread() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals("touched", rpc(request(i, "test/teardown", null)).getString("result"));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> internals(false).getInt("teardowns") >= 20);
        assertEquals(0, internals(false).getInt("teardownsInterrupted"));
    }

    @Test
    void aRebindingHostIsNeitherSameOriginNorServed() throws Exception {
        String response = raw(handshakeHead("rebind.evil:" + base.getPort(), "websocket", freshKey(), "13",
                "Origin: http://rebind.evil:" + base.getPort()));
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        String discovery = raw("GET " + base.getPath() + "api/discover HTTP/1.1\r\nHost: rebind.evil\r\nConnection: close\r\n\r\n");
        assertTrue(discovery.startsWith("HTTP/1.1 400"), discovery);
    }

    @Test
    void forwardingHeadersFromAnUntrustedAddressAreIgnored() throws Exception {
        JsonObject document = Json.object(get("api/discover", "Forwarded", "host=evil.example.org;proto=https",
                "X-Forwarded-Host", "evil.example.org", "X-Forwarded-Proto", "https").body());
        assertEquals("ws://" + self() + base.getPath() + "gateway", document.getString("gateway"));
    }

    @Test
    void discoveryIsNeverCached() throws Exception {
        assertEquals("no-store", get("api/discover").headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void aPageOnAnotherSchemeIsNotSameOrigin() throws Exception {
        try (RawWebSocket socket = new RawWebSocket(gatewayUri(), Map.of("Origin", "https://" + self()))) {
            assertEquals(403, socket.status(), socket.handshakeResponse());
        }
    }

    @Test
    void anHs256TokenSignedWithTheRsaPublicKeyIsRefused() throws Exception {
        byte[] publicKey = Base64.getDecoder().decode(RS256_PUBLIC_KEY);
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                Tokens.claims("mallory", List.of("admin"), Instant.now().plusSeconds(600)).build());
        forged.sign(new MACSigner(publicKey));
        assertEquals(401, postAs(forged.serialize(), request(1, "test/whoami", null)).statusCode());
    }

    @Test
    void anRs256TokenIsAccepted() throws Exception {
        String token = Tokens.rs256(Tokens.claims("grace", List.of("admin"), Instant.now().plusSeconds(600)).build());
        assertEquals("method secret", Json.object(postAs(token, request(1, "test/method-admin", null)).body())
                .getString("result"));
    }

    @Test
    void aTokenThatSaysItIsNotAJwtIsRefused() throws Exception {
        SignedJWT typed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("secevent+jwt")).build(),
                Tokens.claims("eve", List.of("admin"), Instant.now().plusSeconds(600)).build());
        typed.sign(new MACSigner(Tokens.SECRET.getBytes(StandardCharsets.UTF_8)));
        assertEquals(401, postAs(typed.serialize(), request(1, "test/whoami", null)).statusCode());
    }
}
