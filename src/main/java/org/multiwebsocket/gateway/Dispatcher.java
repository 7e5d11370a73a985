package org.multiwebsocket.gateway;

import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.Request;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.protocol.ServiceNames;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.ConstraintViolationException;
import org.multiwebsocket.discovery.Discovery;
import org.multiwebsocket.service.Caller;
import org.multiwebsocket.service.ServiceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JSON-RPC 2.0 over any transport: turns a frame into calls, runs them on the worker threads, and
 * hands back at most one text per frame (a response, a batch response, or nothing).
 *
 * <p>Envelope checks, built-in methods and error answers happen on the caller's thread; handlers
 * never do, so a slow handler delays nothing but its own answer.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private static final String PONG = "\"pong\"";

    @Inject
    GatewayConfig config;
    @Inject
    ServiceRegistry registry;
    @Inject
    JsonSupport json;
    @Inject
    Workers workers;
    @Inject
    Discovery discovery;
    @Inject
    Instance<RequestContextController> requestContexts;
    @Inject
    Telemetry telemetry;

    /** One controller per worker thread, reused call after call: resolving one per call cost 15 % of a call. */
    private final ThreadLocal<RequestContextController> requestContext =
            ThreadLocal.withInitial(() -> requestContexts.get());
    private volatile boolean draining;

    /** From now on new calls are answered -32006; calls in flight go on. */
    void drain() {
        draining = true;
    }

    /** @return whether the gateway refuses new calls because it is shutting down */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Handles one frame.
     *
     * @param peer  the channel it came on
     * @param text  the frame
     * @param out   receives the frame's answer once, or null when the frame needs none
     */
    public void onFrame(Peer peer, String text, Consumer<String> out) {
        GatewayEvents events = telemetry.events();
        events.received(text.length());
        Consumer<String> reply = answer -> {
            if (answer == null) {
                out.accept(null);
                return;
            }
            events.sent(answer.length());
            out.accept(JsonRpc.wellFormed(answer));
        };
        JsonRpc.Frame frame = JsonRpc.parse(text, config.maxBatch());
        if (frame instanceof JsonRpc.Single single) {
            handle(peer, single.request(), reply);
        } else if (frame instanceof JsonRpc.Batch batch) {
            handleBatch(peer, batch.requests(), reply);
        } else if (frame instanceof JsonRpc.InvalidBatch invalid) {
            refuse(peer, new Request(JsonValue.NULL, null, null, invalid.reason()), Telemetry.UNKNOWN_SERVICE,
                    RpcError.invalidRequest(invalid.reason()), reply);
        } else {
            String reason = ((JsonRpc.Unparseable) frame).reason();
            refuse(peer, new Request(JsonValue.NULL, null, null, reason), Telemetry.UNKNOWN_SERVICE,
                    RpcError.parseError(reason), reply);
        }
    }

    private void handleBatch(Peer peer, List<Request> requests, Consumer<String> reply) {
        AtomicReferenceArray<String> answers = new AtomicReferenceArray<>(requests.size());
        AtomicInteger pending = new AtomicInteger(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            int slot = i;
            handle(peer, requests.get(i), answer -> {
                answers.set(slot, answer);
                if (pending.decrementAndGet() == 0) {
                    List<String> present = new ArrayList<>(requests.size());
                    for (int j = 0; j < answers.length(); j++) {
                        if (answers.get(j) != null) {
                            present.add(answers.get(j));
                        }
                    }
                    reply.accept(present.isEmpty() ? null : JsonRpc.batch(present));
                }
            });
        }
    }

    private void handle(Peer peer, Request request, Consumer<String> reply) {
        if (request.invalid() != null) {
            refuse(peer, request, Telemetry.UNKNOWN_SERVICE, RpcError.invalidRequest(request.invalid()), reply);
            return;
        }
        if (request.method().startsWith(ServiceNames.RESERVED_PREFIX)) {
            builtIn(peer, request, reply);
            return;
        }
        ServiceHandler handler = registry.find(request.method());
        if (handler == null) {
            refuse(peer, request, Telemetry.UNKNOWN_SERVICE, RpcError.methodNotFound(request.method()), reply);
            return;
        }
        start(peer, request, handler, reply);
    }

    /** Answers a request that never became a call (a notification gets no answer, but is counted). */
    private void refuse(Peer peer, Request request, String service, RpcError error, Consumer<String> reply) {
        telemetry.callFinished(peer, request.replyId(), service, error.code(), error.message(), System.nanoTime());
        reply.accept(request.isNotification() && request.invalid() == null ? null : error(request.replyId(), error));
    }

    private void start(Peer peer, Request request, ServiceHandler handler, Consumer<String> reply) {
        RpcError refused = refusal(peer, handler);
        if (refused != null) {
            refuse(peer, request, handler.name(), refused, reply);
            return;
        }
        if (peer.inFlight.incrementAndGet() > config.maxInFlight()) {
            peer.inFlight.decrementAndGet();
            refuse(peer, request, handler.name(), RpcError.overloaded(config.maxInFlight(), config.retryAfterMs()), reply);
            return;
        }
        Call call = new Call(peer, request, handler, Instant.now().plusMillis(config.callTimeoutMs()), reply, telemetry);
        if (!request.isNotification() && peer.calls.putIfAbsent(request.id(), call) != null) {
            peer.inFlight.decrementAndGet();
            refuse(peer, request, handler.name(), RpcError.invalidRequest("id " + request.id() + " is already in flight"), reply);
            return;
        }
        peer.callStarted();
        if (request.isNotification()) {
            reply.accept(null);
        }
        try {
            call.started(workers.submit(() -> run(call)),
                    workers.schedule(() -> interrupt(call, RpcError.timeout(config.callTimeoutMs())), config.callTimeoutMs()));
        } catch (RejectedExecutionException shuttingDown) {
            fail(call, RpcError.unavailable("the gateway is shutting down"));
        }
    }

    private void fail(Call call, RpcError error) {
        call.finish(error(call.id(), error), error);
    }

    private boolean interrupt(Call call, RpcError error) {
        return call.interrupt(error(call.id(), error), error);
    }

    /** Why this channel may not call the service now, or null when it may. */
    private RpcError refusal(Peer peer, ServiceHandler handler) {
        if (draining) {
            return RpcError.unavailable("the gateway is shutting down");
        }
        Set<String> roles = handler.definition().roles();
        String expired = peer.expired();
        if (expired != null) {
            return RpcError.unauthenticated(expired);
        }
        if (roles.isEmpty()) {
            return null;
        }
        Caller caller = peer.caller();
        if (caller == null) {
            return RpcError.unauthenticated("the service requires an authenticated caller");
        }
        for (String role : roles) {
            if (caller.hasRole(role)) {
                return null;
            }
        }
        return RpcError.forbidden();
    }

    /** Runs on a worker thread, with a request context active for the handler. */
    private void run(Call call) {
        if (call.isCancelled()) {
            return;
        }
        RequestContextController context = requestContext.get();
        boolean activated = context.activate();
        try {
            call.stage(call.handler().invoke(call.params(), call)
                    .whenComplete((result, failure) -> complete(call, result, failure)));
        } catch (Throwable failure) {
            complete(call, null, failure);
        } finally {
            if (activated) {
                context.deactivate();
            }
        }
    }

    private void complete(Call call, Object result, Throwable failure) {
        if (call.isCancelled()) {
            return;
        }
        if (failure == null) {
            String resultJson;
            try {
                resultJson = json.toJson(result);
            } catch (RuntimeException e) {
                failInternally(call, e);
                return;
            }
            call.finish(JsonRpc.result(call.id(), resultJson), null);
            return;
        }
        Throwable cause = unwrap(failure);
        if (cause instanceof ServiceHandler.InvalidParams invalid) {
            fail(call, RpcError.invalidParams(invalid.data()));
        } else if (cause instanceof ServiceException thrown) {
            String data;
            try {
                data = thrown.data() == null ? null : json.toJson(thrown.data());
            } catch (RuntimeException e) {
                failInternally(call, e);
                return;
            }
            call.finish(JsonRpc.error(call.id(), thrown.code(), thrown.getMessage(), data),
                    new RpcError(thrown.code(), thrown.getMessage(), null));
        } else if (cause instanceof ConstraintViolationException violations) {
            fail(call, RpcError.invalidParams(
                    Map.of("violations", ServiceHandler.violations(violations.getConstraintViolations()))));
        } else {
            failInternally(call, cause);
        }
    }

    private void failInternally(Call call, Throwable cause) {
        String errorId = UUID.randomUUID().toString();
        LOG.log(Level.WARNING, "call " + call.id() + " to service " + call.service() + " on " + call.transport()
                + " connection " + call.connectionId() + " failed [errorId=" + errorId + "]"
                + call.traceparent().map(t -> " traceparent=" + t).orElse(""), cause);
        fail(call, RpcError.internalError(errorId));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void builtIn(Peer peer, Request request, Consumer<String> reply) {
        String answer = switch (request.method()) {
            case "rpc.ping" -> JsonRpc.result(request.replyId(), PONG);
            case "rpc.discover" -> JsonRpc.result(request.replyId(), json.toJson(discovery.document(peer.origin())));
            case "rpc.cancel" -> cancel(peer, request);
            default -> error(request.replyId(), RpcError.methodNotFound(request.method()));
        };
        reply.accept(request.isNotification() ? null : answer);
    }

    private String cancel(Peer peer, Request request) {
        JsonValue target = request.params() instanceof JsonObject params ? params.get("id") : null;
        if (target == null || (target.getValueType() != JsonValue.ValueType.STRING
                && target.getValueType() != JsonValue.ValueType.NUMBER)) {
            return error(request.replyId(), RpcError.invalidParams(
                    Map.of("reason", "rpc.cancel takes {\"id\": <id of the call to cancel>}")));
        }
        Call call = peer.calls.get(target);
        boolean cancelled = call != null && interrupt(call, RpcError.cancelled());
        return JsonRpc.result(request.replyId(), Boolean.toString(cancelled));
    }

    private String error(JsonValue id, RpcError error) {
        return JsonRpc.error(id, error.code(), error.message(), error.data() == null ? null : json.toJson(error.data()));
    }
}
