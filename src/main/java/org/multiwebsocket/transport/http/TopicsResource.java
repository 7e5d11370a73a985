package org.multiwebsocket.transport.http;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.push.Subscription;
import org.multiwebsocket.push.TopicHub;
import org.multiwebsocket.registry.TopicDefinition;
import org.multiwebsocket.security.Authenticator;
import org.multiwebsocket.spi.Caller;
import org.multiwebsocket.spi.InvalidTokenException;

import java.util.List;

/**
 * {@code GET /api/topics/{topic}} with {@code Accept: text/event-stream}: a topic's messages as
 * Server-Sent Events (PROTOCOL.md section 9), {@code event: message}, {@code id: <epoch>:<offset>},
 * {@code data} the same object a socket subscriber gets as {@code rpc.message} params. A
 * {@code Last-Event-ID} resumes after that message, replaying what history kept. A comment
 * ({@code : keep-alive}) every heartbeat finds a client that went away ({@link TopicStreams}).
 */
@Path("topics/{topic: .+}")
public class TopicsResource {

    @Inject
    TopicHub topics;
    @Inject
    Authenticator authenticator;
    @Inject
    TopicStreams streams;
    @Context
    HttpServletRequest request;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@PathParam("topic") String topic, @HeaderParam("Last-Event-ID") String lastEventId,
                          @Context SseEventSink sink, @Context Sse sse) {
        EventStream events = new EventStream(sink, sse);
        TopicDefinition declaration = topics.declaration(topic);
        if (declaration == null) {
            events.send("error", null, JsonRpc.error(JsonValue.NULL, -32602, "Invalid params",
                    "{\"reason\":\"no such topic\",\"topic\":" + JsonRpc.quote(topic) + "}"), null, null);
            sink.close();
            return;
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION), List.of()).orElse(null);
        } catch (InvalidTokenException e) {
            caller = null;
        }
        if (!declaration.access().permits(caller)) {
            events.send("error", null, JsonRpc.error(JsonValue.NULL, caller == null ? -32001 : -32002,
                    caller == null ? "Unauthenticated" : "Forbidden", null), null, null);
            sink.close();
            return;
        }
        String epoch = null;
        long offset = 0;
        if (lastEventId != null && lastEventId.indexOf(':') > 0) {
            try {
                offset = Long.parseLong(lastEventId.substring(lastEventId.indexOf(':') + 1));
                epoch = lastEventId.substring(0, lastEventId.indexOf(':'));
            } catch (NumberFormatException ignored) {
                epoch = null;
            }
        }
        Subscription[] subscription = new Subscription[1];
        subscription[0] = new Subscription(topic, frame -> {
            JsonObject params = JsonRpc.read(frame).asJsonObject().getJsonObject("params");
            events.send("message", params.getString("epoch") + ":" + params.getJsonNumber("offset"), params.toString(),
                    null, () -> subscription[0].cancel());
        });
        topics.subscribe(subscription[0], epoch, offset, state -> events.send("subscribed", null, state, null,
                () -> subscription[0].cancel()));
        streams.keep(events, () -> subscription[0].cancel());
    }

    /** @return 406 for a client that does not accept Server-Sent Events */
    @GET
    @Produces(MediaType.APPLICATION_JSON + ";qs=0.5")
    public Response notEvents() {
        return Response.status(Response.Status.NOT_ACCEPTABLE).type(MediaType.APPLICATION_JSON)
                .entity("{\"error\":\"ask with Accept: text/event-stream\"}").build();
    }
}
