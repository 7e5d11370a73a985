package org.multiwebsocket.client;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * One subscriber's stream call (PROTOCOL.md section 8): the items the gateway sent, buffered until the
 * subscriber asks for them, then the end. Items come in on the socket's read thread ({@link #offer});
 * the subscriber is told on a {@link Serial} executor, one signal at a time, never more items than it
 * requested, and the call's end (answer or failure) once every buffered item has been delivered.
 */
final class StreamSubscription<T> implements Flow.Subscription {

    private final PendingCall<JsonValue> call;
    private final Flow.Subscriber<? super T> subscriber;
    private final Function<JsonValue, T> bind;
    private final Executor serial;

    // guarded by this
    private final ArrayDeque<JsonValue> buffer = new ArrayDeque<>();
    private long demand;
    private boolean ended;
    private Throwable failure;
    private boolean done;

    /** Ties the call to the subscriber and hands the subscriber this subscription; the call is sent after. */
    StreamSubscription(PendingCall<JsonValue> call, Flow.Subscriber<? super T> subscriber, Function<JsonValue, T> bind,
                       Executor serial) {
        this.call = call;
        this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
        this.bind = bind;
        this.serial = serial;
        call.stream = this;
        call.whenComplete((result, failed) -> end(result instanceof JsonArray items ? items : List.of(), failed, false));
        serial.execute(() -> subscriber.onSubscribe(this));
    }

    /** An item arrived. Past {@code bound} buffered, the subscriber is too far behind: the stream is cancelled. */
    void offer(JsonValue item, int bound) {
        boolean lagging;
        synchronized (this) {
            if (ended || done) {
                return;
            }
            lagging = buffer.size() >= bound;
            if (!lagging) {
                buffer.add(item);
            }
        }
        if (lagging) {
            stop(new MultiWebsocketException("the stream's subscriber fell " + bound + " items behind; the client cancelled it"));
        } else {
            drain();
        }
    }

    /**
     * Ends the stream after what is buffered and {@code items} (over HTTP, the stream's array), or, when
     * {@code now}, at once, dropping them. The first end counts, but one {@code now} overrides it.
     */
    private void end(List<JsonValue> items, Throwable failed, boolean now) {
        synchronized (this) {
            if (done || (ended && !now)) {
                return;
            }
            if (now) {
                buffer.clear();
            }
            buffer.addAll(items);
            ended = true;
            failure = failed;
        }
        drain();
    }

    /** Fails the subscriber at once and cancels the call (the failure first, so that it is the one told). */
    private void stop(Throwable error) {
        end(List.of(), error, true);
        call.cancel(true);
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            stop(new IllegalArgumentException("request(" + n + "): demand must be positive (Reactive Streams rule 3.9)"));
            return;
        }
        synchronized (this) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
        drain();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            done = true;
            buffer.clear();
        }
        call.cancel(true);
    }

    private void drain() {
        serial.execute(this::deliver);
    }

    /** On the serial executor: the buffered items there is demand for, then the end once nothing is left. */
    private void deliver() {
        while (true) {
            JsonValue next = null;
            Throwable end;
            synchronized (this) {
                if (done || (buffer.isEmpty() ? !ended : demand == 0)) {
                    return;
                }
                if (buffer.isEmpty()) {
                    done = true;
                } else {
                    next = buffer.poll();
                    demand--;
                }
                end = failure;
            }
            if (next == null) {
                if (end == null) {
                    subscriber.onComplete();
                } else {
                    subscriber.onError(end);
                }
                return;
            }
            T value;
            try {
                value = Objects.requireNonNull(bind.apply(next), "the item is null");
            } catch (RuntimeException e) {
                stop(new MultiWebsocketException("a stream item cannot be read: " + next, e));
                continue;
            }
            try {
                subscriber.onNext(value);
            } catch (RuntimeException e) {
                cancel(); // Reactive Streams rule 2.13: a subscriber that throws is cancelled
                throw e;
            }
        }
    }
}
