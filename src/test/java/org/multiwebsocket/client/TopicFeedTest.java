package org.multiwebsocket.client;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.protocol.JsonRpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a topic subscription stands, and what it sends and delivers, without a gateway. */
class TopicFeedTest {

    /** A socket or the HTTP fallback, as far as a feed looks at it. */
    private record Carrier(String name) implements Transport {
        @Override
        public void send(PendingCall<?> call) {
        }

        @Override
        public void cancel(PendingCall<?> call) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** One call the feed sent, answered by the test. */
    private record Sent(Transport socket, String method, JsonObject params, Executor answerOn,
                        BiConsumer<? super JsonValue, ? super Throwable> then) {
        void answer(JsonValue result) {
            answerOn().execute(() -> then().accept(result, null));
        }

        void fail(Throwable failure) {
            then().accept(null, failure);
        }
    }

    private final Transport socketA = new Carrier("websocket");
    private final Transport socketB = new Carrier("websocket");
    private final Transport http = new Carrier("http");
    private final List<Sent> sent = new ArrayList<>();
    private final List<String> heard = new ArrayList<>();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final AtomicReference<TopicFeed<?>> forgotten = new AtomicReference<>();

    private final TopicListener<Integer> listener = new TopicListener<>() {
        @Override
        public void onMessage(Integer message, long offset) {
            heard.add(message + "@" + offset);
        }

        @Override
        public void onGap(long lastOffset, long offset) {
            heard.add("gap " + lastOffset + ".." + offset);
        }

        @Override
        public void onError(Throwable e) {
            error.set(e);
        }
    };

    private final TopicFeed<Integer> feed = new TopicFeed<>("prices/ACME", value -> {
        if (!(value instanceof JsonNumber n)) {
            throw new IllegalArgumentException("not a number: " + value);
        }
        return n.intValue();
    }, listener, new Serial(Runnable::run),
            (socket, method, params, answerOn, then) -> sent.add(new Sent(socket, method, JsonRpc.read(params).asJsonObject(),
                    answerOn == null ? Runnable::run : answerOn, then)),
            forgotten::set);

    private static JsonObject answer(long offset, String epoch, boolean recovered) {
        return JsonRpc.JSON.createObjectBuilder().add("topic", "prices/ACME").add("offset", offset).add("epoch", epoch)
                .add("recovered", recovered).build();
    }

    private Sent last() {
        return sent.get(sent.size() - 1);
    }

    /** Subscribed on socket A, the topic's newest offset 7 in epoch e1. */
    private void confirmedOnA() {
        feed.carriedBy(socketA);
        last().answer(answer(7, "e1", true));
    }

    @Test
    void theFirstSubscriptionHasNoSinceAndEachSocketGetsOne() {
        feed.carriedBy(null);
        assertEquals(List.of(), sent, "nothing is sent before a socket carries calls");
        feed.carriedBy(socketA);
        assertEquals("rpc.subscribe", last().method());
        assertSame(socketA, last().socket());
        assertEquals("{\"topic\":\"prices/ACME\"}", last().params().toString());
        CompletableFuture<Void> subscribed = feed.subscribed();
        assertFalse(subscribed.isDone());
        last().answer(answer(7, "e1", true));
        assertTrue(subscribed.isDone() && !subscribed.isCompletedExceptionally());
        feed.carriedBy(socketA);
        assertEquals(1, sent.size(), "not twice on one socket");
        feed.carriedBy(socketB);
        assertEquals("{\"offset\":7,\"epoch\":\"e1\"}", last().params().getJsonObject("since").toString(),
                "from the topic's newest offset when nothing was delivered");
    }

    @Test
    void messagesAreDeliveredOnceInOrderAndTheNextSocketResumesAfterTheLast() {
        confirmedOnA();
        feed.received(8, "e1", JsonRpc.JSON.createValue(80));
        feed.received(9, "e1", JsonRpc.JSON.createValue(90));
        feed.received(9, "e1", JsonRpc.JSON.createValue(90));
        feed.carriedBy(socketB);
        assertEquals("{\"offset\":9,\"epoch\":\"e1\"}", last().params().getJsonObject("since").toString());
        last().answer(answer(10, "e1", true));
        feed.received(9, "e1", JsonRpc.JSON.createValue(90));
        feed.received(10, "e1", JsonRpc.JSON.createValue(100));
        assertEquals(List.of("80@8", "90@9", "100@10"), heard);
    }

    @Test
    void aResubscriptionThatCouldNotRecoverIsAGapAfterWhichOnlyNewerMessagesCome() {
        confirmedOnA();
        feed.received(8, "e1", JsonRpc.JSON.createValue(80));
        feed.carriedBy(socketB);
        last().answer(answer(20, "e1", false));
        feed.received(19, "e1", JsonRpc.JSON.createValue(190));
        feed.received(20, "e1", JsonRpc.JSON.createValue(200));
        feed.received(21, "e1", JsonRpc.JSON.createValue(210));
        assertEquals(List.of("80@8", "gap 8..20", "210@21"), heard);
    }

    @Test
    void aNewEpochIsAGapAndItsMessagesCount() {
        confirmedOnA();
        feed.carriedBy(socketB);
        last().answer(answer(3, "e2", false));
        feed.received(4, "e2", JsonRpc.JSON.createValue(40));
        assertEquals(List.of("gap 7..3", "40@4"), heard);
        feed.carriedBy(socketA);
        assertEquals("{\"offset\":4,\"epoch\":\"e2\"}", last().params().getJsonObject("since").toString());
    }

    @Test
    void offsetsThatJumpOrANewEpochMidStreamAreAGapBeforeTheMessage() {
        confirmedOnA();
        feed.received(8, "e1", JsonRpc.JSON.createValue(80));
        feed.received(11, "e1", JsonRpc.JSON.createValue(110));
        feed.received(1, "e2", JsonRpc.JSON.createValue(10));
        feed.received(2, "e2", JsonRpc.JSON.createValue(20));
        assertEquals(List.of("80@8", "gap 8..10", "110@11", "gap 11..0", "10@1", "20@2"), heard);
    }

    @Test
    void aRefusalEndsTheSubscription() {
        feed.carriedBy(socketA);
        ServiceCallException refused = new ServiceCallException(-32602, "Invalid params", null);
        last().fail(refused);
        assertSame(refused, error.get());
        assertTrue(feed.subscribed().isCompletedExceptionally());
        assertSame(feed, forgotten.get());
        feed.carriedBy(socketB);
        assertEquals(1, sent.size(), "an ended subscription is not sent again");
    }

    @Test
    void aConnectionLostWhileSubscribingWaitsForTheNextSocket() {
        feed.carriedBy(socketA);
        last().fail(new ConnectionLostException("lost"));
        assertEquals(null, error.get());
        feed.carriedBy(socketB);
        assertEquals(2, sent.size());
        assertFalse(last().params().containsKey("since"), "never confirmed: no position to resume from");
    }

    @Test
    void theHttpFallbackEndsAnUnconfirmedSubscriptionButAConfirmedOneWaits() {
        confirmedOnA();
        feed.carriedBy(http);
        assertEquals(null, error.get());
        assertEquals(1, sent.size());

        TopicFeed<JsonValue> early = new TopicFeed<>("chat", value -> value, (message, offset) -> { }, Runnable::run,
                (socket, method, params, answerOn, then) -> sent.add(null), ended -> { });
        early.carriedBy(http);
        assertEquals(1, sent.size(), "nothing is sent over HTTP");
        assertTrue(early.subscribed().isCompletedExceptionally());
    }

    @Test
    void unsubscribingSendsRpcUnsubscribeAndStopsTheMessagesAtOnce() throws Exception {
        confirmedOnA();
        CompletableFuture<Boolean> held = feed.unsubscribe();
        assertEquals("rpc.unsubscribe", last().method());
        assertEquals("{\"topic\":\"prices/ACME\"}", last().params().toString());
        feed.received(8, "e1", JsonRpc.JSON.createValue(80));
        last().answer(JsonValue.TRUE);
        assertTrue(held.get());
        assertEquals(List.of(), heard);
        assertSame(feed, forgotten.get());
        assertFalse(feed.unsubscribe().get(), "once is enough");
        assertEquals(null, error.get(), "unsubscribing is no error");
    }

    @Test
    void aMessageThatCannotBeBoundEndsTheSubscription() {
        confirmedOnA();
        feed.received(8, "e1", JsonRpc.JSON.createValue("eighty"));
        assertInstanceOf(MultiWebsocketException.class, error.get());
        assertEquals("rpc.unsubscribe", last().method());
        feed.received(9, "e1", JsonRpc.JSON.createValue(90));
        assertEquals(List.of(), heard);
    }
}
