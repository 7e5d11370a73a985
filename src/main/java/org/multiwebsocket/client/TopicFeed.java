package org.multiwebsocket.client;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.JsonRpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One topic subscription (PROTOCOL.md section 9) and where it stands: the socket it was last sent on,
 * and the offset and epoch of the last message delivered, from which it subscribes again on the next
 * socket. The answers to its {@code rpc.subscribe} and its messages are read on its {@link Serial}
 * executor in the order of the frames, so its state follows the gateway's order; a message delivered
 * already (same epoch, offset not past the last) is dropped; a message past the next offset, or of
 * another epoch, is told as a gap first (PROTOCOL.md section 12).
 */
final class TopicFeed<T> implements TopicSubscription {

    /** How a feed reaches the gateway: a built-in call for one socket only. */
    interface Sender {
        /** {@code then} hears the answer, on {@code answerOn} (null: any client thread). */
        void send(Transport socket, String method, String paramsJson, Executor answerOn,
                  BiConsumer<? super JsonValue, ? super Throwable> then);
    }

    private final String topic;
    private final Function<JsonValue, T> bind;
    private final TopicListener<? super T> listener;
    private final Executor serial;
    private final Sender sender;
    private final Consumer<TopicFeed<?>> forget;
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

    // guarded by this
    private Transport sentOn;
    private long offset = -1;
    private String epoch;
    private boolean over;

    /** @param forget takes the feed out of the client's list once it has ended */
    TopicFeed(String topic, Function<JsonValue, T> bind, TopicListener<? super T> listener, Executor serial, Sender sender,
              Consumer<TopicFeed<?>> forget) {
        this.topic = topic;
        this.bind = bind;
        this.listener = listener;
        this.serial = serial;
        this.sender = sender;
        this.forget = forget;
    }

    /**
     * Calls go over this transport now (null: none yet). On a socket it was not sent on yet, the feed
     * subscribes, from the last message delivered once the gateway gave it an epoch; on the HTTP
     * fallback, a feed the gateway never confirmed ends.
     */
    void carriedBy(Transport transport) {
        String params;
        synchronized (this) {
            if (over || transport == null || transport == sentOn || (!"websocket".equals(transport.name()) && epoch != null)) {
                return;
            }
            sentOn = transport;
            params = "{\"topic\":" + JsonRpc.quote(topic) + (epoch == null ? "" : ",\"since\":{\"offset\":" + offset
                    + ",\"epoch\":" + JsonRpc.quote(epoch) + "}") + "}";
        }
        if (!"websocket".equals(transport.name())) {
            end(new MultiWebsocketException("topics need the gateway socket, and the client is on the HTTP fallback; "
                    + "subscribe once it is back on a socket"));
            return;
        }
        sender.send(transport, "rpc.subscribe", params, serial, (result, failure) -> {
            if (failure == null) {
                answered(result); // on the serial executor, before the messages that follow the answer
            } else if (!(failure instanceof ConnectionLostException)) { // when lost, the next socket subscribes again
                serial.execute(() -> end(failure));
            }
        });
    }

    /** The session that holds the subscription moved from socket {@code from} to {@code to} (PROTOCOL.md section 10). */
    synchronized void movedTo(Transport from, Transport to) {
        if (sentOn == from) {
            sentOn = to;
        }
    }

    private void answered(JsonValue result) {
        if (!(result instanceof JsonObject answer && answer.get("offset") instanceof JsonNumber newest
                && answer.get("epoch") instanceof JsonString now)) {
            end(new MultiWebsocketException("the gateway answered rpc.subscribe with " + result));
            return;
        }
        long last;
        boolean gap;
        synchronized (this) {
            if (over) {
                return;
            }
            last = offset;
            gap = epoch != null && JsonValue.FALSE.equals(answer.get("recovered"));
            if (epoch == null || gap) { // from now on, messages after the newest: the missed ones are the gap
                offset = newest.longValue();
                epoch = now.getString();
            }
        }
        subscribed.complete(null);
        if (gap) {
            listener.onGap(last, newest.longValue());
        }
    }

    /** A message of the topic, on the read thread: delivered in turn. */
    void received(long at, String in, JsonValue data) {
        serial.execute(() -> {
            long gapAfter = -1;
            synchronized (this) {
                if (over || (in.equals(epoch) && at <= offset)) {
                    return;
                }
                if (epoch != null && offset >= 0 && (!in.equals(epoch) || at > offset + 1)) {
                    gapAfter = offset; // offsets jumped (a node fell behind), or history was lost (a new epoch)
                }
                offset = at;
                epoch = in;
            }
            if (gapAfter >= 0) {
                listener.onGap(gapAfter, at - 1);
            }
            T message;
            try {
                message = bind.apply(data);
            } catch (RuntimeException e) {
                unsubscribe();
                listener.onError(new MultiWebsocketException("a message of " + topic + " cannot be read: " + data, e));
                return;
            }
            listener.onMessage(message, at);
        });
    }

    /** Ends the subscription and tells the listener why. */
    void end(Throwable error) {
        if (finish()) {
            subscribed.completeExceptionally(error);
            serial.execute(() -> listener.onError(error));
        }
    }

    /** @return whether this call ended it, taking it out of the client's list */
    private boolean finish() {
        synchronized (this) {
            if (over) {
                return false;
            }
            over = true;
        }
        forget.accept(this);
        return true;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public CompletableFuture<Void> subscribed() {
        return subscribed.copy();
    }

    @Override
    public CompletableFuture<Boolean> unsubscribe() {
        CompletableFuture<Boolean> held = new CompletableFuture<>();
        Transport on;
        synchronized (this) {
            on = sentOn;
        }
        if (!finish() || on == null || !on.isOpen()) {
            held.complete(false);
        } else {
            sender.send(on, "rpc.unsubscribe", "{\"topic\":" + JsonRpc.quote(topic) + "}", null,
                    (result, failure) -> held.complete(JsonValue.TRUE.equals(result)));
        }
        subscribed.cancel(false);
        return held;
    }

    @Override
    public void close() {
        unsubscribe();
    }
}
