package org.multiwebsocket.transport.http;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.multiwebsocket.protocol.JsonRpc;

import java.util.concurrent.CompletionStage;

/**
 * One HTTP response of Server-Sent Events: a stream's items, a topic's messages, and a final result or
 * error. Events are written in the order given; the sink closes after the final one.
 */
final class EventStream {

    private final SseEventSink sink;
    private final Sse sse;

    EventStream(SseEventSink sink, Sse sse) {
        this.sink = sink;
        this.sse = sse;
    }

    boolean isOpen() {
        return !sink.isClosed();
    }

    /**
     * @param name    the event name
     * @param id      the event id, or null
     * @param json    the data, JSON
     * @param written runs once it is written, or null
     * @param failed  runs when it cannot be written (the client went away), or null
     */
    void send(String name, String id, String json, Runnable written, Runnable failed) {
        OutboundSseEvent.Builder event = sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(json);
        if (id != null) {
            event.id(id);
        }
        send(event.build(), written, failed);
    }

    /** @param failed runs when the comment cannot be written (the client went away) */
    void comment(String text, Runnable failed) {
        send(sse.newEventBuilder().comment(text).build(), null, failed);
    }

    private void send(OutboundSseEvent event, Runnable written, Runnable failed) {
        CompletionStage<?> sent;
        try {
            sent = sink.send(event);
        } catch (IllegalStateException closed) {
            // Jersey throws, rather than failing the stage, once the container closed the sink (the client went away)
            if (failed != null) {
                failed.run();
            }
            return;
        }
        sent.whenComplete((ok, failure) -> {
            if (failure == null && written != null) {
                written.run();
            } else if (failure != null && failed != null) {
                failed.run();
            }
        });
    }

    /** @param answer the JSON-RPC response (or null for none): sent as {@code result} or {@code error}, then the end */
    void end(String answer) {
        JsonValue parsed = answer == null ? null : JsonRpc.read(answer);
        if (parsed instanceof JsonObject response) {
            if (response.containsKey("error")) {
                send("error", null, response.get("error").toString(), null, null);
            } else {
                send("result", null, response.getOrDefault("result", JsonValue.NULL).toString(), null, null);
            }
        } else if (parsed != null) {
            send("result", null, parsed.toString(), null, null);
        }
        sink.close();
    }
}
