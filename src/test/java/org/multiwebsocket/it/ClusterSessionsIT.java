package org.multiwebsocket.it;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.testing.Cluster;
import org.multiwebsocket.testing.ClusterExtension;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.Tokens;
import org.multiwebsocket.testing.WsClient;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

/**
 * PROTOCOL.md section 10 across the shared {@link Cluster}: a session opened on one node is resumed on
 * another, with every answer delivered once and every call run once; a call whose node is killed is
 * answered -32006; a session that cannot be resumed is -32007 on any node.
 */
@ExtendWith(ClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSessionsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static JsonObject post(Cluster.Node node, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(node.http("api/rpc")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.object(response.body());
    }

    private static int runs(Cluster.Node node, String key) throws Exception {
        return post(node, request(1, "test/once/runs", "{\"key\":\"" + key + "\"}")).getInt("result");
    }

    private static String tail(String output) {
        return output.substring(Math.max(0, output.length() - 6000));
    }

    /** Opens a session on the node, sends it a slow {@code test/once} call and drops the socket once the call runs. */
    private static JsonObject slowCallThenDrop(Cluster.Node node, int id, String key, long ms) throws Exception {
        try (WsClient first = WsClient.connect(node.gateway())) {
            JsonObject session = result(first.call(NEW));
            first.send(once(id, key, ms));
            await().atMost(Duration.ofSeconds(5)).until(() -> runs(node, key) == 1);
            return session;
        }
    }

    private static List<Integer> known(JsonObject resumed) {
        return resumed.getJsonArray("known").getValuesAs(JsonNumber.class).stream().map(JsonNumber::intValue).sorted().toList();
    }

    @Test
    @Order(1)
    void aSessionResumedOnAnotherNodeGetsTheAnswerOfASlowCallOnceAndTheCallRanOnce(Cluster cluster) throws Exception {
        Cluster.Node node1 = cluster.node(1);
        String key = "moved-" + UUID.randomUUID();
        JsonObject session = slowCallThenDrop(node1, 7, key, 1500);
        try (WsClient second = WsClient.connect(cluster.node(2).gateway())) {
            JsonObject resumed = result(second.call(resume(session, 0)));
            assertTrue(resumed.getBoolean("resumed"));
            assertEquals(List.of(7), known(resumed));
            JsonObject answer = Json.object(second.nextText(10_000));
            assertEquals(7, answer.getInt("id"), answer.toString());
            assertEquals(1, answer.getInt("seq"));
            assertEquals(1, answer.getInt("result"));
            assertEquals(2, second.call(request(8, "rpc.ping", null)).getInt("seq"), "the session carries on there");
            assertNull(second.poll(500), "answered once");
        }
        assertEquals(1, runs(node1, key));
        assertEquals(0, runs(cluster.node(2), key));
    }

    @Test
    @Order(2)
    void knownTellsTheClientWhichCallsToSendAgainAndTheReplayStartsAfterItsAck(Cluster cluster) throws Exception {
        String key = "known-" + UUID.randomUUID();
        JsonObject session;
        try (WsClient first = WsClient.connect(cluster.node(2).gateway())) {
            session = result(first.call(NEW));
            assertEquals(1, first.call(request(1, "rpc.ping", null)).getInt("seq"));
            assertEquals(2, first.call(request(2, "rpc.ping", null)).getInt("seq"));
            first.send(once(3, key, 800));
            await().atMost(Duration.ofSeconds(5)).until(() -> runs(cluster.node(2), key) == 1);
        }
        try (WsClient second = WsClient.connect(cluster.node(1).gateway())) {
            JsonObject resumed = result(second.call(resume(session, 1)));
            assertEquals(List.of(2, 3), known(resumed), "call 4, never received, is not known: the client sends it again");
            JsonObject replayed = Json.object(second.nextText(10_000));
            assertEquals(2, replayed.getInt("id"));
            assertEquals(2, replayed.getInt("seq"));
            JsonObject answer = Json.object(second.nextText(10_000));
            assertEquals(3, answer.getInt("id"));
            assertEquals(3, answer.getInt("seq"));
            JsonObject resent = second.call(once(4, key, 0));
            assertEquals(4, resent.getInt("seq"));
            assertEquals(1, resent.getInt("result"), "the resent call ran on node 1");
        }
        assertEquals(1, runs(cluster.node(2), key), "call 3 ran once, on node 2");
    }

    @Test
    @Order(3)
    void aWrongTokenAnotherCallerOrAnExpiredSessionIsNotResumableOnAnyNode(Cluster cluster) throws Exception {
        JsonObject anonymous;
        try (WsClient first = WsClient.connect(cluster.node(1).gateway())) {
            anonymous = result(first.call(NEW));
        }
        JsonObject ada;
        try (WsClient first = WsClient.connect(cluster.node(1).gateway(),
                List.of("multiwebsocket.v1", "bearer." + Tokens.valid("ada", "admin")))) {
            ada = result(first.call(NEW));
        }
        try (WsClient other = WsClient.connect(cluster.node(2).gateway())) {
            JsonObject wrong = other.call(request("s", "rpc.session", "{\"resume\":{\"session\":\""
                    + anonymous.getString("session") + "\",\"token\":\"guess\",\"ack\":0}}"));
            assertEquals(-32007, code(wrong));
            assertEquals("wrong token", wrong.getJsonObject("error").getJsonObject("data").getString("reason"));
            assertEquals(-32007, code(other.call(resume(ada, 0))), "an anonymous caller cannot take ada's session");
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            try (WsClient later = WsClient.connect(cluster.node(3).gateway())) {
                JsonObject answer = later.call(request("probe", "rpc.session", "{\"resume\":{\"session\":\""
                        + anonymous.getString("session") + "\",\"token\":\"guess\",\"ack\":0}}"));
                return "unknown or expired session".equals(answer.getJsonObject("error").getJsonObject("data").getString("reason"));
            }
        });
        try (WsClient late = WsClient.connect(cluster.node(3).gateway())) {
            JsonObject expired = late.call(resume(anonymous, 0));
            assertEquals(-32007, code(expired));
        }
    }

    @Test
    @Order(4)
    void keptMessagesOverTheSessionBufferAreNotResumableOnAnotherNode(Cluster cluster) throws Exception {
        String topic = "test/prices/" + UUID.randomUUID().toString().substring(0, 8);
        JsonObject session;
        try (WsClient first = WsClient.connect(cluster.node(1).gateway())) {
            session = result(first.call(NEW));
            assertEquals(1, first.call(request(1, "rpc.subscribe", "{\"topic\":\"" + topic + "\"}")).getInt("seq"));
            post(cluster.node(2), request("p", "test/publish", "{\"topic\":\"" + topic + "\",\"count\":8,\"text\":\""
                    + "x".repeat(10_000) + "\"}"));
            for (int n = 1; n <= 8; n++) {
                assertEquals(n + 1, Json.object(first.nextText(10_000)).getInt("seq"));
            }
        }
        try (WsClient second = WsClient.connect(cluster.node(2).gateway())) {
            JsonObject refused = second.call(resume(session, 1));
            assertEquals(-32007, code(refused));
            assertTrue(refused.getJsonObject("error").getJsonObject("data").getString("reason").contains("sessionBufferBytes"),
                    refused.toString());
        }
    }

    @Test
    @Order(6)
    void subscriptionsMoveToTheNodeOfTheResumeWhileTheirNodeLivesWithEveryMessageOnce(Cluster cluster) throws Exception {
        String topic = "test/prices/" + UUID.randomUUID().toString().substring(0, 8);
        JsonObject session;
        try (WsClient first = WsClient.connect(cluster.node(1).gateway())) {
            session = result(first.call(NEW));
            assertEquals(1, first.call(request(1, "rpc.subscribe", "{\"topic\":\"" + topic + "\"}")).getInt("seq"));
            post(cluster.node(3), request("p", "test/publish", "{\"topic\":\"" + topic + "\",\"count\":1,\"text\":\"a\"}"));
            assertEquals(2, Json.object(first.nextText(10_000)).getInt("seq"));
        }
        post(cluster.node(3), request("p", "test/publish", "{\"topic\":\"" + topic + "\",\"count\":2,\"text\":\"away\"}"));
        try (WsClient second = WsClient.connect(cluster.node(2).gateway())) {
            result(second.call(resume(session, 2)));
            post(cluster.node(3), request("p", "test/publish", "{\"topic\":\"" + topic + "\",\"count\":2,\"text\":\"back\"}"));
            List<Long> offsets = new ArrayList<>();
            long seq = 2;
            while (offsets.size() < 4) {
                JsonObject message = Json.object(second.nextText(10_000));
                assertEquals(++seq, message.getInt("seq"), message.toString());
                offsets.add(message.getJsonObject("params").getJsonNumber("offset").longValue());
            }
            assertEquals(List.of(2L, 3L, 4L, 5L), offsets);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonObject unsubscribed = second.call(request("u", "rpc.unsubscribe", "{\"topic\":\"" + topic + "\"}"));
                return unsubscribed.getBoolean("result");
            });
            post(cluster.node(3), request("p", "test/publish", "{\"topic\":\"" + topic + "\",\"count\":1,\"text\":\"gone\"}"));
            assertNull(second.poll(1_000), "nothing after the unsubscribe, from either node");
        }
    }

    @Test
    @Order(8)
    void aCallRunningWithNoSocketWhenItsNodeStopsFinishesThereAndIsAnsweredAfterTheResume(Cluster cluster)
            throws Exception {
        Cluster.Node stopping = cluster.node(3);
        String key = "stopped-" + UUID.randomUUID();
        JsonObject session = slowCallThenDrop(stopping, 1, key, 2500);
        try {
            stopping.stop();
            try (WsClient second = WsClient.connect(cluster.node(1).gateway())) {
                JsonObject resumed = result(second.call(resume(session, 0)));
                assertEquals(List.of(1), known(resumed));
                JsonObject answer = Json.object(second.nextText(10_000));
                assertEquals(JsonRpc.JSON.createValue(1), answer.get("id"), answer.toString());
                assertEquals(JsonRpc.JSON.createValue(1), answer.get("result"),
                        "the stopping node waited for the call, then left: " + answer);
                assertNull(second.poll(500), "answered once");
            }
            assertEquals(0, runs(cluster.node(1), key));
        } finally {
            stopping.restart();
        }
    }

    @Test
    @Order(9)
    void aCallWhoseNodeIsKilledIsAnsweredMinus32006AndItsSubscriptionsMoveToTheNodeOfTheResume(Cluster cluster)
            throws Exception {
        Cluster.Node doomed = cluster.node(3);
        String key = "killed-" + UUID.randomUUID();
        String topic = "test/prices/" + UUID.randomUUID().toString().substring(0, 8);
        JsonObject session;
        try (WsClient first = WsClient.connect(doomed.gateway())) {
            session = result(first.call(NEW));
            assertEquals(1, first.call(request(1, "rpc.subscribe", "{\"topic\":\"" + topic + "\"}")).getInt("seq"));
            post(cluster.node(2), request("p", "test/publish", "{\"topic\":\"" + topic + "\",\"count\":1,\"text\":\"a\"}"));
            assertEquals(2, Json.object(first.nextText(10_000)).getInt("seq"));
            first.send(once(5, key, 2500));
            await().atMost(Duration.ofSeconds(5)).until(() -> runs(doomed, key) == 1);
            doomed.kill();
            first.awaitClose(10_000);
        }
        try (WsClient second = WsClient.connect(cluster.node(1).gateway())) {
            JsonObject resumed = result(second.call(resume(session, 2)));
            assertEquals(List.of(5), known(resumed), "the call is known: the client must not send it again");
            post(cluster.node(2), request("p", "test/publish", "{\"topic\":\"" + topic + "\",\"count\":2,\"text\":\"b\"}"));
            JsonObject lost = null;
            List<Long> offsets = new ArrayList<>();
            long seq = 2;
            while (lost == null || offsets.size() < 2) {
                String frame = second.poll(60_000);
                assertTrue(frame != null, "after the kill, got " + offsets + " and " + lost + "; node 1 said:\n"
                        + tail(cluster.node(1).output()));
                JsonObject message = Json.object(frame);
                assertEquals(++seq, message.getInt("seq"), frame);
                if (message.containsKey("id")) {
                    assertEquals(5, message.getInt("id"), frame);
                    lost = message;
                } else {
                    offsets.add(message.getJsonObject("params").getJsonNumber("offset").longValue());
                }
            }
            assertEquals(-32006, code(lost));
            assertFalse(lost.toString().contains("Exception"));
            assertEquals(List.of(2L, 3L), offsets, "the subscription went on where the session was, nothing twice");
            assertNull(second.poll(500));
        }
    }
}
