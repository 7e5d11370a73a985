package org.multiwebsocket.client;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.Response;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What the gateway sends, routed on the read thread: a response to its call (read on a worker, or on
 * the call's own executor), an {@code rpc.item} to its stream (whose deadline starts over), an
 * {@code rpc.message} to its topic subscription.
 *
 * @param discovered the discovery document, once read: its {@code streamWindow} bounds what a stream buffers
 * @param session    drops what a session delivered already (PROTOCOL.md section 10)
 */
record Inbound(PendingCalls calls, TopicFeeds topics, Payloads payloads, Events events, Executor workers,
               Supplier<Discovered> discovered, SessionLink session) {

    /** A frame or HTTP body: one message or a batch of them. */
    void received(String text) {
        JsonValue frame = JsonRpc.read(text);
        if (frame == null) {
            events.error(new MultiWebsocketException("unreadable frame from the gateway"));
            return;
        }
        for (JsonValue element : frame instanceof JsonArray batch ? batch : List.of(frame)) {
            if (element instanceof JsonObject message && !session.fresh(message)) {
                continue;
            }
            if (element instanceof JsonObject message && message.get("method") instanceof JsonString method) {
                notification(method.getString(), message.get("params") instanceof JsonObject p ? p : JsonValue.EMPTY_JSON_OBJECT);
            } else if (element instanceof JsonObject response) {
                response(Response.of(response));
            }
        }
    }

    private void response(Response response) {
        String key = response.key();
        PendingCall<?> call = key == null ? null : calls.answered(key);
        if (call != null) {
            Executor on = call.answerOn;
            (on == null ? workers : on).execute(() -> call.answer(response, payloads));
        } else if (key == null && response.error() != null) {
            events.error(PendingCall.failure(response.error()));
        }
    }

    private void notification(String method, JsonObject params) {
        if ("rpc.message".equals(method)) {
            topics.message(params);
        } else if ("rpc.item".equals(method)) {
            JsonValue id = params.get("id");
            PendingCall<?> call = calls.get(id instanceof JsonNumber n ? n.toString() : id instanceof JsonString s ? s.getString() : null);
            StreamSubscription<?> stream = call == null ? null : call.stream;
            if (stream != null) {
                call.madeNanos = System.nanoTime();
                Discovered known = discovered.get();
                stream.offer(params.getOrDefault("item", JsonValue.NULL), 4 * (known == null ? 64 : known.streamWindow()));
            }
        }
    }
}
