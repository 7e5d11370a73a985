package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import org.glassfish.tyrus.client.ClientManager;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.glassfish.tyrus.client.ClientProperties;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.MicroProcess;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * One topic, 1 000 subscribers on as many connections, 1 000 messages: every subscriber receives
 * every message, in order, none lost. On a node of its own, whose per-address limit lets one test
 * client open that many connections.
 */
class FanOutIT {

    private static final int SUBSCRIBERS = 1_000;
    private static final int MESSAGES = 1_000;

    /** Counts one subscriber's messages and checks that their offsets follow each other. */
    private static final class Subscriber extends Endpoint {
        final AtomicInteger received = new AtomicInteger();
        final AtomicReference<String> broken = new AtomicReference<>();
        final CountDownLatch subscribed = new CountDownLatch(1);
        long last = -1;

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::frame);
        }

        private void frame(String text) {
            JsonObject frame = Json.object(text);
            if (!frame.containsKey("method")) {
                last = frame.getJsonObject("result").getJsonNumber("offset").longValue();
                subscribed.countDown();
                return;
            }
            long offset = frame.getJsonObject("params").getJsonNumber("offset").longValue();
            if (offset != last + 1) {
                broken.compareAndSet(null, "offset " + offset + " after " + last);
            }
            last = offset;
            received.incrementAndGet();
        }
    }

    @Test
    void aThousandSubscribersEachReceiveAThousandMessagesInOrder() throws Exception {
        int port = MicroProcess.freePort();
        File war = new File(System.getProperty("java.io.tmpdir"), "fanout.war");
        GatewayDeployment.deployment().as(ZipExporter.class).exportTo(war, true);
        List<String> jvm = new ArrayList<>(MicroProcess.FAST_START);
        jvm.add("-Dmultiwebsocket.max-connections-per-address=5000");
        jvm.add("-Dmultiwebsocket.heartbeat-ms=0");
        try (MicroProcess micro = MicroProcess.start(jvm, List.of("--deploy", war.getAbsolutePath(), "--contextroot", "/",
                "--port", Integer.toString(port), "--nohazelcast", "--disablephonehome"), port)) {
            assertTrue(micro.awaitReady(150), micro.output());
            ClientManager client = ClientManager.createClient();
            client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
            WebSocketContainer container = client;
            ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                    .preferredSubprotocols(List.of("multiwebsocket.v1")).build();
            URI gateway = URI.create("ws://localhost:" + port + "/gateway");
            List<Subscriber> subscribers = new ArrayList<>();
            List<Session> sessions = new ArrayList<>();
            try {
                ExecutorService connecting = Executors.newFixedThreadPool(16);
                try {
                    List<Future<Session>> opened = new ArrayList<>();
                    for (int i = 0; i < SUBSCRIBERS; i++) {
                        Subscriber subscriber = new Subscriber();
                        subscribers.add(subscriber);
                        int id = i;
                        opened.add(connecting.submit(() -> {
                            Session session = container.connectToServer(subscriber, config, gateway);
                            session.getBasicRemote().sendText(request(id, "rpc.subscribe", "{\"topic\":\"test/load\"}"));
                            return session;
                        }));
                    }
                    for (Future<Session> session : opened) {
                        sessions.add(session.get(60, TimeUnit.SECONDS));
                    }
                } finally {
                    connecting.shutdownNow();
                }
                for (Subscriber subscriber : subscribers) {
                    assertTrue(subscriber.subscribed.await(10, TimeUnit.SECONDS), "a subscription was not answered");
                }
                HttpResponse<String> published = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                        .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/rpc"))
                                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(request(1, "test/publish",
                                        "{\"topic\":\"test/load\",\"count\":" + MESSAGES + ",\"text\":\"fan\"}"))).build(),
                                HttpResponse.BodyHandlers.ofString());
                assertEquals(200, published.statusCode(), published.body());
                await().atMost(120, TimeUnit.SECONDS).until(() -> subscribers.stream()
                        .allMatch(s -> s.received.get() >= MESSAGES || s.broken.get() != null));
                for (Subscriber subscriber : subscribers) {
                    assertNull(subscriber.broken.get());
                    assertEquals(MESSAGES, subscriber.received.get(), "a subscriber missed messages");
                }
            } finally {
                for (Session session : sessions) {
                    session.close();
                }
                client.shutdown();
            }
        }
    }
}
