package org.multiwebsocket.dispatch;

import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.RpcError;

import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A call whose handler returned a {@link Flow.Publisher} (PROTOCOL.md section 8). Items go out one
 * by one to a channel that {@linkplain Channel#streamsItems() streams items}, each asked for only when
 * the one {@code window} places before it has been written, so no more than {@code window} items of
 * the stream are ever held; otherwise they are collected into one array result, refused past
 * {@code maxMessageBytes}. The deadline restarts with every item. The call keeps its slot until the
 * stream ends or is cancelled; a cancel, deadline or lost channel cancels the subscription.
 */
final class StreamCall implements Flow.Subscriber<Object> {

    private final Call call;
    private final JsonSupport json;
    private final Outcomes outcomes;
    private final int window;
    private final int maxMessageBytes;
    private final long timeoutNanos;
    private final boolean itemized;
    private final StringBuilder collected;
    private volatile Flow.Subscription subscription;
    private long count;

    StreamCall(Call call, JsonSupport json, Outcomes outcomes, int window, int maxMessageBytes, long timeoutMs) {
        this.call = call;
        this.json = json;
        this.outcomes = outcomes;
        this.window = window;
        this.maxMessageBytes = maxMessageBytes;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.itemized = call.channel().streamsItems();
        this.collected = itemized ? null : new StringBuilder("[");
    }

    @Override
    public void onSubscribe(Flow.Subscription given) {
        if (subscription != null) {
            given.cancel();
            return;
        }
        subscription = given;
        call.streaming(given);
        if (!call.isCancelled()) {
            given.request(window);
        }
    }

    @Override
    public void onNext(Object item) {
        if (call.isCancelled()) {
            return;
        }
        String itemJson;
        try {
            itemJson = json.toJson(item);
        } catch (RuntimeException e) {
            subscription.cancel();
            outcomes.answer(call, null, e);
            call.release();
            return;
        }
        count++;
        call.extendDeadline(System.nanoTime() + timeoutNanos);
        if (itemized) {
            call.channel().pushItem(call.id(), count, itemJson, () -> subscription.request(1));
            return;
        }
        if (collected.length() + itemJson.length() + 2 > maxMessageBytes) {
            subscription.cancel();
            RpcError tooLarge = new RpcError(RpcError.INTERNAL_ERROR, "Internal error",
                    Map.of("reason", "stream too large", "maxMessageBytes", maxMessageBytes));
            call.answer(outcomes.error(call.id(), tooLarge), tooLarge);
            call.release();
            return;
        }
        collected.append(count == 1 ? "" : ",").append(itemJson);
        subscription.request(1);
    }

    @Override
    public void onError(Throwable failure) {
        if (!call.isCancelled()) {
            outcomes.answer(call, null, failure);
        }
        call.release();
    }

    @Override
    public void onComplete() {
        if (!call.isCancelled()) {
            String result = itemized ? "{\"items\":" + count + "}" : collected.append(']').toString();
            call.answer(JsonRpc.result(call.id(), result), null);
        }
        call.release();
    }
}
