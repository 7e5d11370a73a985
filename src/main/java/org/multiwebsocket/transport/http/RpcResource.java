package org.multiwebsocket.transport.http;

import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.discovery.Origins;
import org.multiwebsocket.dispatch.Admission;
import org.multiwebsocket.dispatch.ClientLog;
import org.multiwebsocket.dispatch.Dispatcher;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.security.Authenticator;
import org.multiwebsocket.spi.Caller;
import org.multiwebsocket.spi.InvalidTokenException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

/**
 * The HTTP transport: {@code POST /api/rpc} with a JSON-RPC 2.0 request or batch runs the same
 * services with the same errors as the socket. Answers 200 with the response, or 204 when the body
 * held only notifications.
 */
@Path("rpc")
public class RpcResource {

    private static final String PARSE_ERROR = JsonRpc.error(JsonValue.NULL, RpcError.PARSE_ERROR, "Parse error",
            "{\"reason\":\"the body is not valid UTF-8\"}");

    private static final ClientLog LOG = new ClientLog(RpcResource.class.getName(), 20);
    private static final String UNAUTHENTICATED = JsonRpc.error(JsonValue.NULL, RpcError.UNAUTHENTICATED,
            "Unauthenticated", "{\"reason\":\"invalid token\"}");

    @Inject
    Origins requestOrigins;
    @Inject
    Authenticator authenticator;
    @Inject
    Dispatcher dispatcher;
    @Inject
    GatewayConfig config;
    @Inject
    Admission admission;
    @Context
    HttpServletRequest request;

    /** A request body that passed the checks, or the response refusing it. */
    private record Checked(String text, Caller caller, Response refusal) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public void call(InputStream body, @Suspended AsyncResponse response) throws IOException {
        Checked checked = check(body);
        if (checked.refusal() != null) {
            response.resume(checked.refusal());
            return;
        }
        response.setTimeout(config.callTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
        HttpChannel channel = channel(checked.caller(), null);
        dispatcher.onFrame(channel, checked.text(), answer -> {
            response.resume(answer == null
                    ? Response.noContent().build()
                    : Response.ok(answer, MediaType.APPLICATION_JSON).build());
            channel.answered();
        });
    }

    /**
     * The same call answered as Server-Sent Events (PROTOCOL.md section 8): a stream's items as
     * {@code event: item} ({@code id} its index), then one {@code event: result} or {@code event: error}
     * with the JSON-RPC result or error object.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS + ";qs=0.5")
    public void events(InputStream body, @Context SseEventSink sink, @Context Sse sse) throws IOException {
        Checked checked = check(body);
        EventStream events = new EventStream(sink, sse);
        if (checked.refusal() != null) {
            events.end(String.valueOf(checked.refusal().getEntity()));
            return;
        }
        HttpChannel channel = channel(checked.caller(), events);
        dispatcher.onFrame(channel, checked.text(), answer -> {
            events.end(answer);
            channel.answered();
        });
    }

    private HttpChannel channel(Caller caller, EventStream events) {
        return new HttpChannel(requestOrigins.of(request), caller, request.getHeader("traceparent"),
                config.maxInFlight(), admission, requestOrigins.clientAddress(request), events);
    }

    private Checked check(InputStream body) throws IOException {
        if (admission.callsAdmitted() >= config.maxCalls()) {
            return refused(Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header("Retry-After", Math.max(1, (config.retryAfterMs() + 999) / 1000))
                    .type(MediaType.APPLICATION_JSON)
                    .entity(JsonRpc.error(JsonValue.NULL, RpcError.OVERLOADED, "Overloaded",
                            "{\"retryAfterMs\":" + config.retryAfterMs() + "}"))
                    .build());
        }
        byte[] bytes = request.getContentLengthLong() > config.maxMessageBytes() ? null
                : read(body, config.maxMessageBytes());
        if (bytes == null) {
            return refused(Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
                    .header("Connection", "close")
                    .type(MediaType.APPLICATION_JSON)
                    .entity(JsonRpc.error(JsonValue.NULL, RpcError.INVALID_REQUEST, "Invalid Request",
                            "{\"reason\":\"the body exceeds maxMessageBytes (" + config.maxMessageBytes() + ")\"}"))
                    .build());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return refused(Response.ok(PARSE_ERROR, MediaType.APPLICATION_JSON).build());
        }
        try {
            return new Checked(text, authenticator.authenticate(request.getHeader("Authorization"), List.of()).orElse(null),
                    null);
        } catch (InvalidTokenException e) {
            LOG.log(Level.INFO, () -> "HTTP call from " + request.getRemoteAddr() + " refused: "
                    + ClientLog.clip(e.getMessage()));
            return refused(Response.status(Response.Status.UNAUTHORIZED)
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                    .type(MediaType.APPLICATION_JSON).entity(UNAUTHENTICATED).build());
        }
    }

    private static Checked refused(Response response) {
        return new Checked(null, null, response);
    }

    /** The body, or null when it is longer than the limit. */
    private static byte[] read(InputStream body, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
        byte[] buffer = new byte[8192];
        int total = 0;
        for (int n; (n = body.read(buffer)) != -1; ) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
