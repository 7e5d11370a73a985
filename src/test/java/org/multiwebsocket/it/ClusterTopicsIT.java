package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiwebsocket.testing.Cluster;
import org.multiwebsocket.testing.ClusterExtension;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.WsClient;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topics across a cluster of real Payara Micro nodes with Hazelcast on (the shared {@link Cluster}):
 * every subscriber on every node gets every message in the same order, with the same offsets and epoch;
 * a subscriber resumes on another node; discovery lists the members' announced gateways.
 */
@ExtendWith(ClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTopicsIT {

    private static final List<String> V1 = List.of("multiwebsocket.v1");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A message as a subscriber received it. */
    private record Received(long offset, String epoch, String text, int n) {
    }

    private static String topic() {
        return "test/prices/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonObject subscribe(WsClient ws, String topic, String since) throws Exception {
        JsonObject answer = ws.call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rpc.subscribe\",\"params\":{\"topic\":\""
                + topic + "\"" + (since == null ? "" : ",\"since\":" + since) + "}}");
        assertTrue(answer.containsKey("result"), answer.toString());
        return answer.getJsonObject("result");
    }

    /** Publishes through the test service over HTTP on one node; answers the last offset. */
    private static long publish(Cluster.Node node, String topic, int count, String text) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(node.http("api/rpc"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/publish\","
                        + "\"params\":{\"topic\":\"" + topic + "\",\"count\":" + count + ",\"text\":\"" + text + "\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.object(response.body()).getJsonNumber("result").longValue();
    }

    private static List<Received> receive(WsClient ws, int count) throws InterruptedException {
        List<Received> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonObject message = Json.object(ws.nextText(10_000));
            assertEquals("rpc.message", message.getString("method"), message.toString());
            JsonObject params = message.getJsonObject("params");
            messages.add(new Received(params.getJsonNumber("offset").longValue(), params.getString("epoch"),
                    params.getJsonObject("data").getString("text"), params.getJsonObject("data").getInt("n")));
        }
        return messages;
    }

    @Test
    @Order(1)
    void aPublishOnOneNodeReachesTheSubscribersOfEveryNodeInOneOrderWithTheSameOffsetsAndEpoch(Cluster cluster)
            throws Exception {
        String topic = topic();
        List<WsClient> subscribers = new ArrayList<>();
        try {
            List<String> epochs = new ArrayList<>();
            for (Cluster.Node node : cluster.nodes()) {
                WsClient ws = WsClient.connect(node.gateway(), V1);
                subscribers.add(ws);
                JsonObject subscribed = subscribe(ws, topic, null);
                assertEquals(0, subscribed.getJsonNumber("offset").longValue(), "a new topic, on node " + node.number());
                epochs.add(subscribed.getString("epoch"));
            }
            assertEquals(1, Set.copyOf(epochs).size(), "one epoch on every node: " + epochs);

            assertEquals(20, publish(cluster.node(1), topic, 20, "from-1"));

            List<Received> first = receive(subscribers.get(0), 20);
            for (int i = 0; i < 20; i++) {
                assertEquals(new Received(i + 1, epochs.get(0), "from-1", i + 1), first.get(i));
            }
            for (WsClient ws : subscribers.subList(1, subscribers.size())) {
                assertEquals(first, receive(ws, 20));
            }
        } finally {
            for (WsClient ws : subscribers) {
                ws.close();
            }
        }
    }

    @Test
    @Order(2)
    void publishesOnTwoNodesAtOnceReachEveryNodeInTheSameOrder(Cluster cluster) throws Exception {
        String topic = topic();
        try (WsClient on1 = WsClient.connect(cluster.node(1).gateway(), V1);
             WsClient on2 = WsClient.connect(cluster.node(2).gateway(), V1)) {
            subscribe(on1, topic, null);
            subscribe(on2, topic, null);
            CompletableFuture<Long> from1 = CompletableFuture.supplyAsync(() -> publishUnchecked(cluster.node(1), topic, "from-1"));
            CompletableFuture<Long> from2 = CompletableFuture.supplyAsync(() -> publishUnchecked(cluster.node(2), topic, "from-2"));
            CompletableFuture.allOf(from1, from2).join();

            List<Received> seenOn1 = receive(on1, 30);
            assertEquals(seenOn1, receive(on2, 30));
            for (int i = 0; i < 30; i++) {
                assertEquals(i + 1, seenOn1.get(i).offset());
            }
            assertEquals(15, seenOn1.stream().filter(m -> m.text().equals("from-2")).count());
            assertNull(on1.poll(300), "nothing more");
        }
    }

    private static long publishUnchecked(Cluster.Node node, String topic, String text) {
        try {
            return publish(node, topic, 15, text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(3)
    void aSubscriberResumingOnAnotherNodeGetsExactlyWhatItMissedRecovered(Cluster cluster) throws Exception {
        String topic = topic();
        Received last;
        try (WsClient on1 = WsClient.connect(cluster.node(1).gateway(), V1)) {
            subscribe(on1, topic, null);
            publish(cluster.node(1), topic, 1, "seen");
            last = receive(on1, 1).get(0);
        }
        assertEquals(3, publish(cluster.node(2), topic, 2, "missed"));
        try (WsClient on2 = WsClient.connect(cluster.node(2).gateway(), V1)) {
            JsonObject resumed = subscribe(on2, topic, "{\"offset\":" + last.offset() + ",\"epoch\":\"" + last.epoch() + "\"}");
            assertTrue(resumed.getBoolean("recovered"), resumed.toString());
            assertEquals(last.epoch(), resumed.getString("epoch"));
            assertEquals(List.of(new Received(2, last.epoch(), "missed", 1), new Received(3, last.epoch(), "missed", 2)),
                    receive(on2, 2));
            publish(cluster.node(3), topic, 1, "live");
            assertEquals(new Received(4, last.epoch(), "live", 1), receive(on2, 1).get(0));
            assertNull(on2.poll(300), "nothing twice");
        }
    }

    @Test
    @Order(4)
    void discoveryListsEveryMembersGatewayAndForgetsANodeThatStopped(Cluster cluster) throws Exception {
        Set<String> all = Set.of(cluster.node(1).announcedUrl(), cluster.node(2).announcedUrl(),
                cluster.node(3).announcedUrl());
        for (Cluster.Node node : cluster.nodes()) {
            List<String> gateways = node.gateways();
            assertEquals(all, Set.copyOf(gateways), "node " + node.number());
            assertEquals(node.announcedUrl(), gateways.get(0), "each node lists itself first");
        }
        cluster.node(3).stop();
        Set<String> left = Set.of(cluster.node(1).announcedUrl(), cluster.node(2).announcedUrl());
        for (Cluster.Node node : List.of(cluster.node(1), cluster.node(2))) {
            await("node " + node.number() + " forgets node 3").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Set.copyOf(node.gateways()), left::equals);
        }
    }

    @Test
    @Order(5)
    void historyLostWithTheMembersThatHeldItComesBackUnderANewEpochAndIsNeverClaimedRecovered(Cluster cluster)
            throws Exception {
        cluster.startStopped();
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            topics.add(topic());
        }
        Map<String, Received> before = new HashMap<>();
        try (WsClient live = WsClient.connect(cluster.node(1).gateway(), V1)) {
            for (String topic : topics) {
                subscribe(live, topic, null);
                publish(cluster.node(1), topic, 2, "before");
                before.put(topic, receive(live, 2).get(1));
            }
            // two of the three members at once: about a third of the topics had both copies of their history there
            cluster.node(2).kill();
            cluster.node(3).kill();
            cluster.awaitFormed();

            int lost = 0;
            for (String topic : topics) {
                long offset = publish(cluster.node(1), topic, 1, "after");
                Received message = receive(live, 1).get(0);
                Received old = before.get(topic);
                assertEquals(offset, message.offset(), topic);
                if (message.epoch().equals(old.epoch())) {
                    assertEquals(3, message.offset(), topic + " kept its history, and its offsets go on");
                } else {
                    assertEquals(1, message.offset(), topic + " lost its history: offsets start again");
                    lost++;
                }
            }
            assertTrue(lost > 0, "no topic had both copies on the two members killed (about 1 chance in 10^7)");

            try (WsClient resuming = WsClient.connect(cluster.node(1).gateway(), V1)) {
                for (String topic : topics) {
                    Received old = before.get(topic);
                    JsonObject resumed = subscribe(resuming, topic, "{\"offset\":2,\"epoch\":\"" + old.epoch() + "\"}");
                    if (resumed.getString("epoch").equals(old.epoch())) {
                        assertTrue(resumed.getBoolean("recovered"), topic + ": " + resumed);
                        assertEquals(new Received(3, old.epoch(), "after", 1), receive(resuming, 1).get(0));
                    } else {
                        assertFalse(resumed.getBoolean("recovered"), topic + ": " + resumed);
                        assertEquals(new Received(1, resumed.getString("epoch"), "after", 1), receive(resuming, 1).get(0),
                                "the history of the new epoch");
                    }
                }
            }
        }
    }
}
