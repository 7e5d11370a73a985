package org.multiwebsocket.client;

import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.protocol.JsonRpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The buffer and demand of one stream, told on the caller's thread (a {@link Serial} over a direct executor). */
class StreamSubscriptionTest {

    /** Records every signal: items as numbers, the end as "complete" or the error. */
    private static final class Recorder implements Flow.Subscriber<Integer> {
        final List<Object> signals = new CopyOnWriteArrayList<>();
        Flow.Subscription subscription;
        long requestInOnNext;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(Integer item) {
            signals.add(item);
            if (requestInOnNext > 0) {
                subscription.request(requestInOnNext);
            }
        }

        @Override
        public void onError(Throwable error) {
            signals.add(error);
        }

        @Override
        public void onComplete() {
            signals.add("complete");
        }
    }

    private final AtomicReference<PendingCall<?>> abandoned = new AtomicReference<>();
    private final PendingCall<JsonValue> call = new PendingCall<>(1, "test/stream", null, JsonValue.class, 0, abandoned::set);
    private final Recorder subscriber = new Recorder();

    private StreamSubscription<Integer> stream(Function<JsonValue, Integer> bind) {
        return new StreamSubscription<>(call, subscriber, bind, new Serial(Runnable::run));
    }

    private StreamSubscription<Integer> stream() {
        return stream(value -> ((JsonNumber) value).intValue());
    }

    private static JsonValue number(int n) {
        return JsonRpc.JSON.createValue(n);
    }

    private static List<Object> numbers(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().map(Object.class::cast).toList();
    }

    @Test
    void theSubscriberGetsTheSubscriptionAndTheCallItsItems() {
        StreamSubscription<Integer> stream = stream();
        assertSame(stream, subscriber.subscription);
        assertSame(stream, call.stream, "items for the call go to the subscription");
    }

    @Test
    void itemsWaitForDemandAndTheEndForTheItemsBeforeIt() {
        StreamSubscription<Integer> stream = stream();
        for (int i = 1; i <= 3; i++) {
            stream.offer(number(i), 10);
        }
        assertEquals(List.of(), subscriber.signals, "nothing before request()");
        subscriber.subscription.request(2);
        assertEquals(numbers(1, 2), subscriber.signals);
        call.complete(JsonRpc.JSON.createObjectBuilder().add("items", 3).build());
        assertEquals(numbers(1, 2), subscriber.signals, "the end waits for the third item");
        subscriber.subscription.request(1);
        assertEquals(List.of(1, 2, 3, "complete"), subscriber.signals);
    }

    @Test
    void anErrorComesAfterTheItemsSentBeforeIt() {
        StreamSubscription<Integer> stream = stream();
        stream.offer(number(1), 10);
        stream.offer(number(2), 10);
        ServiceCallException failed = new ServiceCallException(4242, "failed after 2 items", null);
        call.completeExceptionally(failed);
        subscriber.subscription.request(Long.MAX_VALUE);
        assertEquals(List.of(1, 2, failed), subscriber.signals);
    }

    @Test
    void overHttpTheStreamsArrayIsDeliveredAsItsItems() {
        stream();
        subscriber.subscription.request(Long.MAX_VALUE);
        subscriber.subscription.request(Long.MAX_VALUE); // demand saturates instead of overflowing
        call.complete(JsonRpc.JSON.createArrayBuilder().add(1).add(2).add(3).build());
        assertEquals(List.of(1, 2, 3, "complete"), subscriber.signals);
    }

    @Test
    void aSubscriberTooFarBehindIsFailedAndTheCallCancelled() {
        StreamSubscription<Integer> stream = stream();
        for (int i = 1; i <= 5; i++) {
            stream.offer(number(i), 4);
        }
        assertEquals(1, subscriber.signals.size(), subscriber.signals.toString());
        MultiWebsocketException lagging = assertInstanceOf(MultiWebsocketException.class, subscriber.signals.get(0));
        assertTrue(lagging.getMessage().contains("4 items behind"), lagging.getMessage());
        assertTrue(call.isCancelled());
        assertSame(call, abandoned.get(), "the call is handed back, so that rpc.cancel is sent");
        subscriber.subscription.request(10);
        assertEquals(1, subscriber.signals.size(), "nothing after the error");
    }

    @Test
    void cancellingStopsTheItemsAndCancelsTheCall() {
        StreamSubscription<Integer> stream = stream();
        subscriber.subscription.request(1);
        stream.offer(number(1), 10);
        stream.offer(number(2), 10);
        subscriber.subscription.cancel();
        assertSame(call, abandoned.get());
        subscriber.subscription.request(5);
        stream.offer(number(3), 10);
        assertEquals(List.of(1), subscriber.signals, "no item, and no end, after cancel()");
    }

    @Test
    void aRequestThatIsNotPositiveIsAnError() {
        stream();
        subscriber.subscription.request(0);
        assertInstanceOf(IllegalArgumentException.class, subscriber.signals.get(0));
        assertTrue(call.isCancelled());
    }

    @Test
    void anItemThatCannotBeBoundFailsTheStream() {
        StreamSubscription<Integer> stream = stream(value -> {
            throw new IllegalStateException("not a number");
        });
        subscriber.subscription.request(5);
        stream.offer(number(1), 10);
        MultiWebsocketException unreadable = assertInstanceOf(MultiWebsocketException.class, subscriber.signals.get(0));
        assertInstanceOf(IllegalStateException.class, unreadable.getCause());
        assertEquals(1, subscriber.signals.size());
        assertTrue(call.isCancelled());
    }

    @Test
    void requestingFromInsideOnNextNeitherRecursesNorLosesAnItem() {
        StreamSubscription<Integer> stream = stream();
        subscriber.requestInOnNext = 1;
        for (int i = 1; i <= 20_000; i++) {
            stream.offer(number(i), 100_000);
        }
        subscriber.subscription.request(1);
        call.complete(JsonRpc.JSON.createObjectBuilder().add("items", 20_000).build());
        assertEquals(20_001, subscriber.signals.size());
        assertEquals(20_000, subscriber.signals.get(19_999));
        assertEquals("complete", subscriber.signals.get(20_000));
        assertNull(abandoned.get());
    }
}
