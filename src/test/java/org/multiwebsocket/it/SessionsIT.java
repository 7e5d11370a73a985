package org.multiwebsocket.it;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.Tokens;
import org.multiwebsocket.testing.WsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;
import static org.multiwebsocket.testing.SessionRequests.NEW;
import static org.multiwebsocket.testing.SessionRequests.code;
import static org.multiwebsocket.testing.SessionRequests.once;
import static org.multiwebsocket.testing.SessionRequests.result;
import static org.multiwebsocket.testing.SessionRequests.resume;

/** PROTOCOL.md section 10 on one node: sessions that outlive their sockets. */
class SessionsIT extends GatewayDeployment {


    /**
     * Polls the node's state over HTTP for up to {@code seconds}: a poll answered with something other than a
     * JSON-RPC response (printed by {@link #rpc}) is polled again rather than failing the test at once.
     */
    private static ConditionFactory poll(int seconds) {
        return await().atMost(Duration.ofSeconds(seconds)).ignoreExceptionsInstanceOf(AssertionError.class);
    }

    private int runs(String key) throws Exception {
        return rpc(request(1, "test/once/runs", "{\"key\":\"" + key + "\"}")).getInt("result");
    }

    private boolean held(JsonObject session) throws Exception {
        return rpc(request(1, "test/sessions", "{\"session\":\"" + session.getString("session") + "\"}")).getBoolean("result");
    }

    /** Opens a socket and a session on it. */
    private WsClient withSession(JsonObject[] session) throws Exception {
        WsClient ws = WsClient.connect(gatewayUri());
        session[0] = result(ws.call(NEW));
        return ws;
    }

    @Test
    void aNewSessionHasAnIdAndA256BitTokenAndNothingKnown() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            JsonObject answer = ws.call(NEW);
            assertFalse(answer.containsKey("seq"), "the answer to rpc.session carries no seq: " + answer);
            JsonObject session = result(answer);
            assertFalse(session.getString("session").isEmpty());
            assertTrue(session.getString("token").length() >= 43, session.toString());
            assertFalse(session.getBoolean("resumed"));
            assertEquals(0, session.getJsonArray("known").size());
            assertEquals(4000, session.getInt("ttlMs"));
        }
    }

    @Test
    void everyMessageOfTheSessionCarriesTheNextSeqEachObjectOfABatchItsOwn() throws Exception {
        JsonObject[] session = new JsonObject[1];
        try (WsClient ws = withSession(session)) {
            assertEquals(1, ws.call(request(1, "rpc.ping", null)).getInt("seq"));
            assertEquals(2, ws.call(once(2, "seq-" + UUID.randomUUID(), 0)).getInt("seq"));
            ws.send("[" + request(3, "rpc.ping", null) + "," + request(4, "rpc.ping", null) + "]");
            List<Integer> seqs = new ArrayList<>();
            Json.array(ws.nextText(5_000)).getValuesAs(JsonObject.class).forEach(o -> seqs.add(o.getInt("seq")));
            assertEquals(List.of(3, 4), seqs);
            JsonObject subscribed = ws.call(request(5, "rpc.subscribe", "{\"topic\":\"test/prices/session\"}"));
            assertEquals(5, subscribed.getInt("seq"));
            post("api/rpc", request("p", "test/publish", "{\"topic\":\"test/prices/session\",\"count\":1,\"text\":\"x\"}"));
            JsonObject message = Json.object(ws.nextText(5_000));
            assertEquals("rpc.message", message.getString("method"));
            assertEquals(6, message.getInt("seq"));
        }
    }

    @Test
    void aCallInFlightWhenTheSocketDropsIsAnsweredOnceAfterTheResumeAndRanOnce() throws Exception {
        String key = "drop-" + UUID.randomUUID();
        JsonObject[] session = new JsonObject[1];
        try (WsClient first = withSession(session)) {
            first.send(once(7, key, 800));
            poll(5).until(() -> runs(key) == 1);
        }
        poll(5).until(() -> held(session[0]));
        try (WsClient second = WsClient.connect(gatewayUri())) {
            JsonObject resumed = result(second.call(resume(session[0], 0)));
            assertTrue(resumed.getBoolean("resumed"));
            assertEquals(session[0].getString("token"), resumed.getString("token"));
            assertEquals(List.of(7), resumed.getJsonArray("known").getValuesAs(JsonNumber.class).stream().map(JsonNumber::intValue).toList());
            JsonObject answer = Json.object(second.nextText(5_000));
            assertEquals(7, answer.getInt("id"));
            assertEquals(1, answer.getInt("seq"));
            assertEquals(1, answer.getInt("result"));
            assertNull(second.poll(500), "answered once");
        }
        assertEquals(1, runs(key));
    }

    @Test
    void knownListsTheCallsWhoseAnswersWereNotAcknowledgedAndTheReplayStartsAfterTheAck() throws Exception {
        String key = "known-" + UUID.randomUUID();
        JsonObject[] session = new JsonObject[1];
        try (WsClient first = withSession(session)) {
            assertEquals(1, first.call(request(1, "rpc.ping", null)).getInt("seq"));
            first.send(Json.notification("rpc.ack", "{\"seq\":1}"));
            assertEquals(2, first.call(request(2, "rpc.ping", null)).getInt("seq"));
            first.send(once(3, key, 600));
            poll(5).until(() -> runs(key) == 1);
        }
        try (WsClient second = WsClient.connect(gatewayUri())) {
            JsonObject resumed = result(second.call(resume(session[0], 1)));
            assertEquals(List.of(2, 3), resumed.getJsonArray("known").getValuesAs(JsonNumber.class).stream()
                    .map(JsonNumber::intValue).sorted().toList());
            JsonObject replayed = Json.object(second.nextText(5_000));
            assertEquals(2, replayed.getInt("id"));
            assertEquals(2, replayed.getInt("seq"), "kept with its original seq");
            JsonObject answer = Json.object(second.nextText(5_000));
            assertEquals(3, answer.getInt("id"));
            assertEquals(3, answer.getInt("seq"));
            assertEquals(4, second.call(request(4, "rpc.ping", null)).getInt("seq"), "the session carries on");
        }
    }

    @Test
    void topicMessagesPublishedWhileTheSocketIsAwayAreDeliveredOnResume() throws Exception {
        JsonObject[] session = new JsonObject[1];
        try (WsClient first = withSession(session)) {
            assertEquals(1, first.call(request(1, "rpc.subscribe", "{\"topic\":\"test/prices/away\"}")).getInt("seq"));
        }
        poll(5).until(() -> held(session[0]));
        post("api/rpc", request("p", "test/publish", "{\"topic\":\"test/prices/away\",\"count\":2,\"text\":\"away\"}"));
        try (WsClient second = WsClient.connect(gatewayUri())) {
            result(second.call(resume(session[0], 1)));
            for (int n = 1; n <= 2; n++) {
                JsonObject message = Json.object(second.nextText(5_000));
                assertEquals(n + 1, message.getInt("seq"));
                assertEquals(n, message.getJsonObject("params").getJsonObject("data").getInt("n"));
            }
        }
    }

    @Test
    void aResumeTakesTheSessionFromASocketStillOpen() throws Exception {
        JsonObject[] session = new JsonObject[1];
        try (WsClient first = withSession(session); WsClient second = WsClient.connect(gatewayUri())) {
            assertTrue(result(second.call(resume(session[0], 0))).getBoolean("resumed"));
            assertEquals(1008, first.awaitClose(5_000).getCloseCode().getCode());
            assertEquals(1, second.call(request(1, "rpc.ping", null)).getInt("seq"));
        }
    }

    @Test
    void anUnknownSessionAWrongTokenOrAnExpiredSessionIsNotResumable() throws Exception {
        JsonObject[] session = new JsonObject[1];
        withSession(session).close();
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            JsonObject wrong = ws.call(request("s", "rpc.session", "{\"resume\":{\"session\":\"" + session[0].getString("session")
                    + "\",\"token\":\"guess\",\"ack\":0}}"));
            assertEquals(-32007, code(wrong));
            assertEquals("wrong token", wrong.getJsonObject("error").getJsonObject("data").getString("reason"));
            JsonObject unknown = ws.call(request("s", "rpc.session", "{\"resume\":{\"session\":\"nope\",\"token\":\"x\",\"ack\":0}}"));
            assertEquals(-32007, code(unknown));
        }
        poll(15).until(() -> !held(session[0]));
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            JsonObject expired = ws.call(resume(session[0], 0));
            assertEquals(-32007, code(expired));
            assertEquals("unknown or expired session", expired.getJsonObject("error").getJsonObject("data").getString("reason"));
        }
    }

    @Test
    void anotherCallerCannotResumeTheSession() throws Exception {
        JsonObject session;
        try (WsClient ada = WsClient.connect(gatewayUri(), List.of("multiwebsocket.v1", "bearer." + Tokens.valid("ada", "admin")))) {
            session = result(ada.call(NEW));
        }
        try (WsClient anonymous = WsClient.connect(gatewayUri());
             WsClient grace = WsClient.connect(gatewayUri(), List.of("multiwebsocket.v1", "bearer." + Tokens.valid("grace", "admin")))) {
            assertEquals(-32007, code(anonymous.call(resume(session, 0))));
            assertEquals(-32007, code(grace.call(resume(session, 0))));
        }
        try (WsClient ada = WsClient.connect(gatewayUri(), List.of("multiwebsocket.v1", "bearer." + Tokens.valid("ada", "admin")))) {
            assertTrue(result(ada.call(resume(session, 0))).getBoolean("resumed"));
        }
    }

    @Test
    void messagesKeptPastTheSessionBufferMakeTheSessionNotResumableButTheSocketGoesOn() throws Exception {
        JsonObject[] session = new JsonObject[1];
        try (WsClient first = withSession(session)) {
            assertEquals(1, first.call(request(1, "rpc.subscribe", "{\"topic\":\"test/prices/big\"}")).getInt("seq"));
            post("api/rpc", request("p", "test/publish", "{\"topic\":\"test/prices/big\",\"count\":8,\"text\":\""
                    + "x".repeat(10_000) + "\"}"));
            for (int n = 1; n <= 8; n++) {
                assertEquals(n + 1, Json.object(first.nextText(5_000)).getInt("seq"));
            }
            try (WsClient second = WsClient.connect(gatewayUri())) {
                JsonObject refused = second.call(resume(session[0], 1));
                assertEquals(-32007, code(refused));
                assertTrue(refused.getJsonObject("error").getJsonObject("data").getString("reason").contains("sessionBufferBytes"),
                        refused.toString());
            }
            assertEquals(10, first.call(request(2, "rpc.ping", null)).getInt("seq"));
        }
        poll(5).until(() -> !held(session[0]));
    }

    @Test
    void rpcSessionIsRefusedAfterACallInABatchOverHttpAndTwiceOnOneSocket() throws Exception {
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send(once(1, "busy-" + UUID.randomUUID(), 500));
            assertEquals(-32600, code(ws.call(NEW)));
            assertFalse(ws.call(request(2, "rpc.ping", null)).containsKey("seq"), "no seq without a session");
        }
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            ws.send("[" + NEW + "]");
            assertEquals(-32600, code(Json.array(ws.nextText(5_000)).getJsonObject(0)));
            result(ws.call(NEW));
            assertEquals(-32600, code(ws.call(NEW)));
        }
        JsonObject overHttp = rpc(NEW);
        assertEquals(-32600, code(overHttp));
        assertEquals(JsonValue.ValueType.STRING, overHttp.get("id").getValueType());
    }

    @Test
    void discoveryListsTheSessionLimits() throws Exception {
        JsonObject limits = Json.object(HTTP.send(java.net.http.HttpRequest.newBuilder(uri("api/discover")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).getJsonObject("limits");
        assertEquals(4000, limits.getInt("sessionTtlMs"));
        assertEquals(65536, limits.getInt("sessionBufferBytes"));
    }

    @Test
    void aRefusedResumeLeavesTheSocketFreeForANewSession() throws Exception {
        JsonObject[] session = new JsonObject[1];
        withSession(session).close();
        try (WsClient ws = WsClient.connect(gatewayUri())) {
            assertEquals(-32007, code(ws.call(resume(session[0], 99))));
            assertFalse(ws.call(request(1, "rpc.ping", null)).containsKey("seq"), "the socket is not the session's");
            assertFalse(result(ws.call(NEW)).getBoolean("resumed"));
        }
    }

    @Test
    void aRefusedDuplicateIdDoesNotUnlistTheRunningCallOfThatId() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        JsonObject[] session = new JsonObject[1];
        try (WsClient first = withSession(session)) {
            first.send(once(9, key, 1200));
            poll(5).until(() -> runs(key) == 1);
            JsonObject duplicate = first.call(once(9, key, 0));
            assertEquals(-32600, code(duplicate));
            first.send(Json.notification("rpc.ack", "{\"seq\":" + duplicate.getInt("seq") + "}"));
            assertTrue(first.call(request(10, "rpc.ping", null)).containsKey("seq"));
        }
        try (WsClient second = WsClient.connect(gatewayUri())) {
            JsonObject resumed = result(second.call(resume(session[0], 2)));
            assertEquals(List.of(9), resumed.getJsonArray("known").getValuesAs(JsonNumber.class).stream()
                    .map(JsonNumber::intValue).toList());
            assertEquals(9, Json.object(second.nextText(5_000)).getInt("id"));
        }
        assertEquals(1, runs(key));
    }

    @Test
    void anIdWithALoneSurrogateLeavesNothingKnownOnceAcknowledged() throws Exception {
        JsonObject[] session = new JsonObject[1];
        try (WsClient first = withSession(session)) {
            JsonObject answer = first.call("{\"jsonrpc\":\"2.0\",\"id\":\"\\ud800x\",\"method\":\"test/once\","
                    + "\"params\":{\"key\":\"surrogate-" + UUID.randomUUID() + "\",\"ms\":0}}");
            assertNull(answer.get("error"), answer.toString());
            first.send(Json.notification("rpc.ack", "{\"seq\":" + answer.getInt("seq") + "}"));
            assertTrue(first.call(request(2, "rpc.ping", null)).containsKey("seq"));
        }
        try (WsClient second = WsClient.connect(gatewayUri())) {
            assertEquals(List.of(2), result(second.call(resume(session[0], 1))).getJsonArray("known")
                    .getValuesAs(JsonNumber.class).stream().map(JsonNumber::intValue).toList());
        }
    }

    @Test
    void theApplicationClosingTheSessionsConnectionEndsTheSession() throws Exception {
        JsonObject[] session = new JsonObject[1];
        try (WsClient first = withSession(session)) {
            first.send(request(1, "/test/kick/", "{\"code\":4001}"));
            assertEquals(4001, first.awaitClose(5_000).getCloseCode().getCode());
        }
        try (WsClient second = WsClient.connect(gatewayUri())) {
            assertEquals(-32007, code(second.call(resume(session[0], 0))));
        }
    }

    @Test
    void rpcSessionAsANotificationOverHttpIsNotKeptWaiting() throws Exception {
        assertEquals(204, post("api/rpc", Json.notification("rpc.session", "{}")).statusCode());
    }
}
