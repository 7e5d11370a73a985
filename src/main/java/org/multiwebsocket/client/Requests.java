package org.multiwebsocket.client;

import jakarta.json.JsonValue;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the application asks for (calls, streams, topic subscriptions), made into {@link PendingCall}s with
 * ids unique for the client's life and handed to the engine, which carries them. Thread-safe.
 */
final class Requests {

    private final AtomicLong ids = new AtomicLong();
    private final Payloads payloads;
    private final TopicFeeds topics;
    private final Executor workers;
    private final Consumer<PendingCall<?>> submit;
    private final Consumer<PendingCall<?>> abandoned;
    private final Supplier<Transport> transport;

    /**
     * @param submit    queues a call, or fails it at once
     * @param abandoned hears a call done without an answer (timed out, cancelled)
     * @param transport what carries calls now, or null
     */
    Requests(Payloads payloads, TopicFeeds topics, Executor workers, Consumer<PendingCall<?>> submit,
             Consumer<PendingCall<?>> abandoned, Supplier<Transport> transport) {
        this.payloads = payloads;
        this.topics = topics;
        this.workers = workers;
        this.submit = submit;
        this.abandoned = abandoned;
        this.transport = transport;
    }

    /**
     * Makes a call: refused at once (unknown service, too large, queue full, closed), or queued, sent
     * when the transport has room and answered or failed exactly once.
     *
     * @param timeoutMs the call's own deadline, or 0 for the default
     * @return the call's future; cancelling it cancels the call
     * @throws IllegalArgumentException when the service name is empty or the payload is no JSON object or array
     */
    <T> CompletableFuture<T> call(String service, Object payload, Type resultType, long timeoutMs) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service name is empty");
        }
        PendingCall<T> call = new PendingCall<>(ids.incrementAndGet(), service, payloads.params(payload), resultType,
                timeoutMs, abandoned);
        submit.accept(call);
        return call;
    }

    /** A stream call, sent for each subscriber when it subscribes (contract: the client's {@code stream}). */
    <T> Flow.Publisher<T> stream(String service, Object payload, Type itemType) {
        String params = payloads.params(payload);
        return subscriber -> {
            PendingCall<JsonValue> call = new PendingCall<>(ids.incrementAndGet(), service, params, JsonValue.class, 0,
                    abandoned);
            new StreamSubscription<T>(call, subscriber, item -> payloads.bind(item, itemType), new Serial(workers));
            submit.accept(call);
        };
    }

    /** A topic subscription, sent at once on a socket, else on the next (contract: the client's {@code subscribe}). */
    <T> TopicSubscription subscribe(String topic, Type messageType, TopicListener<? super T> listener) {
        TopicFeed<T> feed = new TopicFeed<>(topic, data -> payloads.bind(data, messageType), listener, new Serial(workers),
                this::control, topics::remove);
        topics.add(feed);
        feed.carriedBy(transport.get());
        return feed;
    }

    /** A built-in call for this socket only; {@code then} hears the answer on {@code answerOn}. */
    private void control(Transport socket, String method, String params, Executor answerOn,
                         BiConsumer<? super JsonValue, ? super Throwable> then) {
        PendingCall<JsonValue> call = new PendingCall<>(ids.incrementAndGet(), method, params, JsonValue.class, 0, abandoned);
        call.only = socket;
        call.answerOn = answerOn;
        call.whenComplete(then);
        submit.accept(call);
    }
}
