package org.multiwebsocket.it;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.client.CallTimeoutException;
import org.multiwebsocket.client.ClientOptions;
import org.multiwebsocket.client.ConnectionLostException;
import org.multiwebsocket.client.ServiceCallException;
import org.multiwebsocket.client.TopicListener;
import org.multiwebsocket.client.TopicSubscription;
import org.multiwebsocket.it.JavaClientIT.SeedClient;
import org.multiwebsocket.testing.FakeDiscovery;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.TcpProxy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java client's streams (PROTOCOL.md section 8) and topic subscriptions (section 9) against a real gateway. */
class JavaClientStreamsIT extends GatewayDeployment {

    public record Item(int n, String pad) {
    }

    public record Message(int n, String text) {
    }

    /** A subscriber that requests {@code batch} items at a time (0: only when told), keeping what it got. */
    static final class Collector<T> implements Flow.Subscriber<T> {
        final List<T> items = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final long batch;
        volatile Flow.Subscription subscription;
        private long left;

        Collector(long batch) {
            this.batch = batch;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (batch > 0) {
                left = batch;
                s.request(batch);
            }
        }

        @Override
        public void onNext(T item) {
            items.add(item);
            if (batch > 0 && --left == 0) {
                left = batch;
                subscription.request(batch);
            }
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }

        Throwable failure() {
            return assertThrows(ExecutionException.class, () -> done.get(10, SECONDS)).getCause();
        }
    }

    /** A listener that keeps the messages as {@code "n text @offset"}, the gaps and the error. */
    static final class Heard implements TopicListener<Message> {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> gaps = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();

        @Override
        public void onMessage(Message message, long offset) {
            messages.add(message.n() + " " + message.text() + " @" + offset);
        }

        @Override
        public void onGap(long lastOffset, long offset) {
            gaps.add(lastOffset + ".." + offset);
        }

        @Override
        public void onError(Throwable e) {
            error.complete(e);
        }
    }

    private SeedClient client(Map<String, Object> options) {
        return new SeedClient(uri("api/discover").toString(), options);
    }

    /**
     * A client whose discovery and socket go through the proxy, reconnecting quickly, without sessions: what a
     * dropped socket does to streams and topics then (ClientSessionsIT: with them).
     */
    private SeedClient through(TcpProxy proxy) {
        return new SeedClient("http://127.0.0.1:" + proxy.port() + base.getPath() + "api/discover",
                Map.of(ClientOptions.RECONNECT_INITIAL_DELAY_MS, 100, ClientOptions.RECONNECT_MAX_DELAY_MS, 500,
                        ClientOptions.SESSIONS, false));
    }

    private static Map<String, Object> stream(int count, long delayMs, int failAfter, int size) {
        return Map.of("count", count, "delayMs", delayMs, "failAfter", failAfter, "size", size);
    }

    /** Publishes over HTTP, not through the client under test; @return the offset of the last message */
    private long publish(String topic, int count, String text) throws Exception {
        return rpc(Json.request(1, "test/publish", "{\"topic\":\"" + topic + "\",\"count\":" + count
                + ",\"text\":\"" + text + "\"}")).getJsonNumber("result").longValue();
    }

    private int streamsCancelled() throws Exception {
        return rpc(Json.request(1, "test/internals", "{}")).getJsonObject("result")
                .getInt("streamsCancelled");
    }

    @Test
    void itemsComeInOrderBoundToTheirTypeAsTheSubscriberAsks() throws Exception {
        try (SeedClient client = client(Map.of())) {
            client.connect().get(10, SECONDS);
            Flow.Publisher<Item> items = client.stream("test/stream", stream(50, 0, -1, 3), Item.class);
            Collector<Item> oneByOne = new Collector<>(1);
            items.subscribe(oneByOne);
            oneByOne.done.get(10, SECONDS);
            assertEquals(50, oneByOne.items.size());
            for (int i = 0; i < 50; i++) {
                assertEquals(new Item(i + 1, "xxx"), oneByOne.items.get(i));
            }

            Collector<Item> held = new Collector<>(0);
            items.subscribe(held);
            await().atMost(5, SECONDS).until(() -> held.subscription != null);
            held.subscription.request(5);
            await("five items, as requested").atMost(5, SECONDS).until(() -> held.items, hasSize(5));
            await("no more than requested").during(300, MILLISECONDS).atMost(2, SECONDS).until(() -> held.items, hasSize(5));
            held.subscription.request(Long.MAX_VALUE);
            held.done.get(10, SECONDS);
            assertEquals(50, held.items.size(), "each subscriber gets a call of its own");
        }
    }

    @Test
    void cancellingMidStreamCancelsThePublisher() throws Exception {
        int before = streamsCancelled();
        try (SeedClient client = client(Map.of())) {
            client.connect().get(10, SECONDS);
            Collector<Item> first = new Collector<>(0);
            client.stream("test/stream", stream(1_000, 50, -1, 0), Item.class).subscribe(first);
            await().atMost(5, SECONDS).until(() -> first.subscription != null);
            first.subscription.request(1);
            await("the first item").atMost(5, SECONDS).until(() -> first.items, hasSize(1));
            first.subscription.cancel();
            await("the gateway cancelled the publisher").atMost(5, SECONDS).until(this::streamsCancelled, greaterThan(before));
            assertFalse(first.done.isDone(), "a cancelled stream signals no end");
            assertEquals("pong", client.callService("rpc.ping", null, String.class).get(5, SECONDS));
        }
    }

    @Test
    void aPublisherFailingMidStreamEndsWithItsErrorAfterTheItemsBeforeIt() throws Exception {
        try (SeedClient client = client(Map.of())) {
            client.connect().get(10, SECONDS);
            Collector<JsonValue> collector = new Collector<>(Long.MAX_VALUE);
            client.stream("/test/stream/", stream(10, 0, 3, 0), JsonValue.class).subscribe(collector);
            ServiceCallException failed = assertInstanceOf(ServiceCallException.class, collector.failure());
            assertEquals(4242, failed.code());
            assertEquals(List.of(1, 2, 3), collector.items.stream().map(v -> v.asJsonObject().getInt("n")).toList());

            Collector<Item> unknown = new Collector<>(1);
            client.stream("test/nostream", null, Item.class).subscribe(unknown);
            assertEquals(-32601, assertInstanceOf(ServiceCallException.class, unknown.failure()).code());
        }
    }

    @Test
    void theClientsDeadlineStartsOverWithEachItem() throws Exception {
        try (SeedClient client = client(Map.of(ClientOptions.CALL_TIMEOUT_MS, 2_000))) {
            client.connect().get(10, SECONDS);
            Collector<Item> slow = new Collector<>(Long.MAX_VALUE);
            client.stream("test/stream", stream(3, 1_200, -1, 0), Item.class).subscribe(slow);
            slow.done.get(20, SECONDS);
            assertEquals(3, slow.items.size(), "three items 1.2 s apart, each within the 2 s deadline");

            Collector<Item> stuck = new Collector<>(Long.MAX_VALUE);
            client.stream("test/stream", stream(2, 2_500, -1, 0), Item.class).subscribe(stuck);
            assertInstanceOf(CallTimeoutException.class, stuck.failure());
        }
    }

    @Test
    void aDroppedConnectionFailsTheStream() throws Exception {
        try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort()); SeedClient client = through(proxy)) {
            client.connect().get(10, SECONDS);
            Collector<Item> collector = new Collector<>(Long.MAX_VALUE);
            client.stream("test/stream", stream(1_000, 50, -1, 0), Item.class).subscribe(collector);
            await("the first item").atMost(5, SECONDS).until(() -> collector.items, hasSize(greaterThan(0)));
            proxy.cut();
            assertInstanceOf(ConnectionLostException.class, collector.failure());
        }
    }

    @Test
    void overTheHttpFallbackAStreamComesAsItsItemsAndTopicsAreRefused() throws Exception {
        String document = "{\"protocol\":\"multiwebsocket.v1\",\"gateways\":[\"ws://127.0.0.1:" + FakeDiscovery.deadPort()
                + "/gateway\"],\"http\":\"" + uri("api/rpc") + "\",\"services\":{\"test/stream\":{\"stream\":true}},"
                + "\"limits\":{\"callTimeoutMs\":3000,\"heartbeatMs\":1000,\"maxInFlight\":4,\"streamWindow\":8}}";
        try (FakeDiscovery discovery = new FakeDiscovery(document);
             SeedClient client = new SeedClient(discovery.uri().toString(), Map.of())) {
            Heard early = new Heard();
            TopicSubscription waiting = client.subscribe("test/prices/HTTP", Message.class, early);
            client.connect().get(10, SECONDS);
            assertEquals("http", client.transport());
            Collector<Item> collector = new Collector<>(2);
            client.stream("test/stream", stream(5, 0, -1, 1), Item.class).subscribe(collector);
            collector.done.get(10, SECONDS);
            assertEquals(List.of(1, 2, 3, 4, 5), collector.items.stream().map(Item::n).toList());

            Throwable refused = early.error.get(5, SECONDS);
            assertTrue(refused.getMessage().contains("HTTP fallback"), refused.getMessage());
            assertThrows(ExecutionException.class, () -> waiting.subscribed().get(5, SECONDS));
            Heard late = new Heard();
            client.subscribe("test/prices/HTTP", Message.class, late);
            assertTrue(late.error.get(5, SECONDS).getMessage().contains("HTTP fallback"));
        }
    }

    @Test
    void subscribersGetThePublishedMessagesInOrderUntilTheyUnsubscribe() throws Exception {
        String topic = "test/prices/JAVA";
        try (SeedClient client = client(Map.of())) {
            Heard heard = new Heard();
            TopicSubscription subscription = client.subscribe(topic, Message.class, heard);
            assertThrows(IllegalStateException.class, () -> client.subscribe(topic, Message.class, new Heard()));
            client.connect().get(10, SECONDS);
            subscription.subscribed().get(5, SECONDS);
            long last = publish(topic, 10, "hi");
            await("ten messages").atMost(5, SECONDS).until(() -> heard.messages, hasSize(10));
            for (int i = 1; i <= 10; i++) {
                assertEquals(i + " hi @" + (last - 10 + i), heard.messages.get(i - 1));
            }

            assertTrue(subscription.unsubscribe().get(5, SECONDS), "the gateway held the subscription");
            publish(topic, 3, "gone");
            await("nothing after unsubscribe").during(500, MILLISECONDS).atMost(2, SECONDS).until(() -> heard.messages, hasSize(10));
            assertFalse(subscription.unsubscribe().get(5, SECONDS));

            Heard again = new Heard();
            client.subscribe(topic, Message.class, again).subscribed().get(5, SECONDS);
            long next = publish(topic, 1, "again");
            await().atMost(5, SECONDS).until(() -> again.messages, hasSize(1));
            assertEquals("1 again @" + next, again.messages.get(0));
            assertEquals(10, heard.messages.size());
            assertFalse(heard.error.isDone());
        }
    }

    @Test
    void aRefusedSubscriptionEndsWithTheGatewaysError() throws Exception {
        try (SeedClient client = client(Map.of())) {
            client.connect().get(10, SECONDS);
            Heard nowhere = new Heard();
            client.subscribe("nowhere", Message.class, nowhere);
            assertEquals(-32602, assertInstanceOf(ServiceCallException.class, nowhere.error.get(5, SECONDS)).code());
            Heard secret = new Heard();
            TopicSubscription refused = client.subscribe("test/secret", Message.class, secret);
            assertEquals(-32001, assertInstanceOf(ServiceCallException.class, secret.error.get(5, SECONDS)).code());
            assertThrows(ExecutionException.class, () -> refused.subscribed().get(5, SECONDS));
        }
    }

    @Test
    void afterADroppedSocketTheClientSubscribesAgainAndGetsWhatItMissed() throws Exception {
        String topic = "test/topic"; // keeps five
        try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort()); SeedClient client = through(proxy)) {
            JavaClientIT.Events events = new JavaClientIT.Events();
            client.addListener(events);
            client.connect().get(10, SECONDS);
            Heard heard = new Heard();
            client.subscribe(topic, Message.class, heard).subscribed().get(5, SECONDS);
            long first = publish(topic, 2, "before");
            await().atMost(5, SECONDS).until(() -> heard.messages, hasSize(2));

            proxy.cut();
            events.await("disconnected", 5_000);
            publish(topic, 3, "missed");
            proxy.restore();
            events.await("reconnected", 10_000);
            await("the missed messages, replayed").atMost(5, SECONDS).until(() -> heard.messages, hasSize(5));
            long live = publish(topic, 1, "live");
            await().atMost(5, SECONDS).until(() -> heard.messages, hasSize(6));
            assertEquals(List.of("1 before @" + (first - 1), "2 before @" + first, "1 missed @" + (first + 1),
                    "2 missed @" + (first + 2), "3 missed @" + (first + 3), "1 live @" + live), heard.messages);
            assertEquals(List.of(), heard.gaps);
        }
    }

    @Test
    void moreMissedThanTheHistoryKeepsIsReportedAsAGap() throws Exception {
        String topic = "test/prices/GAP"; // keeps two
        try (TcpProxy proxy = new TcpProxy(base.getHost(), base.getPort()); SeedClient client = through(proxy)) {
            JavaClientIT.Events events = new JavaClientIT.Events();
            client.addListener(events);
            client.connect().get(10, SECONDS);
            Heard heard = new Heard();
            client.subscribe(topic, Message.class, heard).subscribed().get(5, SECONDS);
            long seen = publish(topic, 1, "seen");
            await().atMost(5, SECONDS).until(() -> heard.messages, hasSize(1));

            proxy.cut();
            events.await("disconnected", 5_000);
            long newest = publish(topic, 5, "lost");
            proxy.restore();
            events.await("reconnected", 10_000);
            await("the gap").atMost(5, SECONDS).until(() -> heard.gaps, hasSize(1));
            assertEquals(seen + ".." + newest, heard.gaps.get(0));
            long live = publish(topic, 1, "live");
            await().atMost(5, SECONDS).until(() -> heard.messages, hasSize(2));
            assertEquals(List.of("1 seen @" + seen, "1 live @" + live), heard.messages,
                    "after a gap, only messages past the newest offset at resubscription");
        }
    }
}
