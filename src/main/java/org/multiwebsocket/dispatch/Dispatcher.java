package org.multiwebsocket.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.config.Unproxied;
import org.multiwebsocket.discovery.Discovery;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.Request;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.protocol.ServiceNames;
import org.multiwebsocket.push.TopicHub;
import org.multiwebsocket.registry.AccessRule;
import org.multiwebsocket.registry.Handler;
import org.multiwebsocket.registry.ServiceRegistry;
import org.multiwebsocket.spi.Caller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * JSON-RPC 2.0 over any transport: turns a frame into calls, admits them into their channel's
 * {@link CallTable}, runs them on the worker threads, and hands back at most one text per frame (a
 * response, a batch response, or nothing).
 *
 * <p>Envelope checks, built-in methods and error answers happen on the caller's thread; handlers
 * never do, so a slow handler delays nothing but its own answer.
 */
@ApplicationScoped
public class Dispatcher implements Unproxied<Dispatcher> {

    private static final String PONG = "\"pong\"";
    private static final String SESSION = "rpc.session";
    /** A session's call while the node drains: not received, so the client sends it again where it resumes. */
    private static final RpcError DEFERRED = RpcError.unavailable("the gateway is shutting down");

    private final ServiceRegistry registry;
    private final JsonSupport json;
    private final Workers workers;
    private final Discovery discovery;
    private final Admission admission;
    private final Telemetry telemetry;
    private final Outcomes outcomes;
    private final Deadlines deadlines;
    private final TopicMethods topicMethods;
    private final SessionMethods sessions;
    /** Starts an admitted call's handler; one object for every call. */
    private final Consumer<Call> begin = this::begin;
    private final int streamWindow;
    private final int maxMessageBytes;
    private final int maxBatch;
    private final int maxInFlight;
    private final long callTimeoutMs;
    private final long retryAfterMs;
    /** One controller per worker thread, reused call after call: resolving one per call cost 15 % of a call. */
    private final ThreadLocal<RequestContextController> requestContext;

    /** For CDI proxies only. */
    protected Dispatcher() {
        this(null, null, null, null, null, null, null, null, null, () -> null);
    }

    @Inject
    Dispatcher(GatewayConfig config, ServiceRegistry registry, JsonSupport json, Workers workers, Discovery discovery,
               Admission admission, Telemetry telemetry, TopicHub topics, Instance<SessionMethods> sessions,
               Instance<RequestContextController> requestContexts) {
        this(config, registry, json, workers, discovery, admission, telemetry, topics,
                sessions.isResolvable() ? sessions.get() : null, requestContexts::get);
    }

    Dispatcher(GatewayConfig config, ServiceRegistry registry, JsonSupport json, Workers workers, Discovery discovery,
               Admission admission, Telemetry telemetry, TopicHub topics, SessionMethods sessions,
               Supplier<RequestContextController> requestContexts) {
        this.registry = registry == null ? null : registry.unproxied().get();
        this.json = json == null ? null : json.unproxied().get();
        this.workers = workers == null ? null : workers.unproxied().get();
        this.discovery = discovery == null ? null : discovery.unproxied().get();
        this.admission = admission == null ? null : admission.unproxied().get();
        this.telemetry = telemetry == null ? null : telemetry.unproxied().get();
        this.outcomes = new Outcomes(this.json);
        this.topicMethods = new TopicMethods(topics == null ? null : topics.unproxied().get(), outcomes,
                config == null ? 0 : config.maxSubscriptions(), config == null ? 0 : config.retryAfterMs());
        this.sessions = sessions == null ? null : sessions.unproxied().get();
        this.streamWindow = config == null ? 0 : config.streamWindow();
        this.maxMessageBytes = config == null ? 0 : config.maxMessageBytes();
        this.maxBatch = config == null ? 0 : config.maxBatch();
        this.maxInFlight = config == null ? 0 : config.maxInFlight();
        this.callTimeoutMs = config == null ? 0 : config.callTimeoutMs();
        this.retryAfterMs = config == null ? 0 : config.retryAfterMs();
        this.requestContext = ThreadLocal.withInitial(requestContexts);
        RpcError timeout = RpcError.timeout(callTimeoutMs);
        this.deadlines = new Deadlines(call -> interrupt(call, timeout));
        if (this.workers != null) {
            deadlines.start(this.workers);
        }
    }

    /**
     * Handles one frame.
     *
     * @param channel the channel it came on
     * @param text    the frame
     * @param out     receives the frame's answer once, or null when the frame needs none
     */
    public void onFrame(Channel channel, String text, Consumer<String> out) {
        telemetry.events().received(text.length());
        Consumer<String> reply = answer -> {
            if (answer == null) {
                out.accept(null);
                return;
            }
            telemetry.events().sent(answer.length());
            out.accept(JsonRpc.wellFormed(answer));
        };
        JsonRpc.Frame frame = JsonRpc.parse(text, maxBatch);
        if (frame instanceof JsonRpc.Single single) {
            handle(channel, single.request(), reply);
        } else if (frame instanceof JsonRpc.Batch batch) {
            handleBatch(channel, batch.requests(), reply);
        } else if (frame instanceof JsonRpc.InvalidBatch invalid) {
            refuse(channel, new Request(JsonValue.NULL, null, null, invalid.reason()), Telemetry.UNKNOWN_SERVICE,
                    RpcError.invalidRequest(invalid.reason()), reply);
        } else {
            String reason = ((JsonRpc.Unparseable) frame).reason();
            refuse(channel, new Request(JsonValue.NULL, null, null, reason), Telemetry.UNKNOWN_SERVICE,
                    RpcError.parseError(reason), reply);
        }
    }

    private void handleBatch(Channel channel, List<Request> requests, Consumer<String> reply) {
        AtomicReferenceArray<String> answers = new AtomicReferenceArray<>(requests.size());
        AtomicInteger pending = new AtomicInteger(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            int slot = i;
            Request request = requests.get(i);
            handle(channel, SESSION.equals(request.method()) && request.invalid() == null ? new Request(request.id(),
                    SESSION, null, SESSION + " must be sent alone, not in a batch") : request, text -> {
                answers.set(slot, text);
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

    /**
     * Runs one frame through the whole path against a given handler: for {@link WarmUp}, which must not
     * call any of the application's services.
     */
    void warm(Channel channel, String text, Handler handler, Consumer<String> out) {
        JsonRpc.Frame frame = JsonRpc.parse(text, maxBatch);
        if (frame instanceof JsonRpc.Single single && single.request().invalid() == null) {
            start(channel, single.request(), handler, answer -> out.accept(answer == null ? null : JsonRpc.wellFormed(answer)));
        } else {
            out.accept(null);
        }
    }

    private void handle(Channel channel, Request request, Consumer<String> reply) {
        if (request.invalid() != null) {
            refuse(channel, request, Telemetry.UNKNOWN_SERVICE, RpcError.invalidRequest(request.invalid()), reply);
            return;
        }
        if (request.method().startsWith(ServiceNames.RESERVED_PREFIX)) {
            builtIn(channel, request, reply);
            return;
        }
        Handler handler = registry.find(request.method());
        if (handler == null) {
            refuse(channel, request, Telemetry.UNKNOWN_SERVICE, RpcError.methodNotFound(request.method()), reply);
            return;
        }
        start(channel, request, handler, reply);
    }

    /** Answers a request that never became a call (a notification gets no answer, but is counted). */
    private void refuse(Channel channel, Request request, String service, RpcError error, Consumer<String> reply) {
        telemetry.callFinished(channel, request.replyId(), service, error.code(), error.message(), System.nanoTime());
        reply.accept(request.isNotification() && request.invalid() == null ? null
                : outcomes.error(request.replyId(), error));
    }

    private void start(Channel channel, Request request, Handler handler, Consumer<String> reply) {
        RpcError refused = refusal(channel, handler);
        if (refused != null) {
            refuse(channel, request, handler.name(), refused, refused == DEFERRED ? none -> reply.accept(null) : reply);
            return;
        }
        if (!admission.tryAdmit()) {
            refuse(channel, request, handler.name(), RpcError.atCapacity(retryAfterMs), reply);
            return;
        }
        Call call = new Call(channel, request, handler, callTimeoutMs, reply, telemetry, admission);
        RpcError refusedByChannel = switch (channel.calls().admit(call)) {
            case OVER_LIMIT -> RpcError.overloaded(maxInFlight, retryAfterMs);
            case DUPLICATE_ID -> RpcError.invalidRequest("id " + request.id() + " is already in flight");
            case ADMITTED -> null;
        };
        if (refusedByChannel != null) {
            admission.released();
            refuse(channel, request, handler.name(), refusedByChannel, reply);
            return;
        }
        if (request.isNotification()) {
            reply.accept(null);
        }
        call.deadline(deadlines.add(call));
        channel.callStarted(call, begin);
    }

    private void begin(Call call) {
        if (call.handler().nonBlocking()) {
            invoke(call, false);
            return;
        }
        call.channel().lane().submit(new Lane.Task() {
            @Override
            public void run() {
                Dispatcher.this.run(call);
            }

            @Override
            public void rejected() {
                RpcError error = RpcError.unavailable("the gateway is shutting down");
                call.answer(outcomes.error(call.id(), error), error);
                call.release();
            }
        }, workers);
    }

    private boolean interrupt(Call call, RpcError error) {
        return call.interrupt(outcomes.error(call.id(), error), error);
    }

    /** Why this channel may not call the service now, or null when it may. */
    private RpcError refusal(Channel channel, Handler handler) {
        return !admission.isDraining() ? accessRefusal(channel, handler.access())
                : channel.resumable() ? DEFERRED : RpcError.unavailable("the gateway is shutting down");
    }

    /** Why this channel may not use what the rule guards (a service, a topic), or null when it may. */
    private RpcError accessRefusal(Channel channel, AccessRule access) {
        String expired = channel.expired();
        if (expired != null) {
            return RpcError.unauthenticated(expired);
        }
        if (access.isOpen()) {
            return null;
        }
        Caller caller = channel.caller();
        if (caller == null) {
            return RpcError.unauthenticated("the service requires an authenticated caller");
        }
        for (String role : access.roles()) {
            if (caller.hasRole(role)) {
                return null;
            }
        }
        return RpcError.forbidden();
    }

    /**
     * Runs on a worker thread; gives the thread back to the call's lane as soon as the handler has
     * returned (an asynchronous handler's stage may go on).
     */
    private void run(Call call) {
        try {
            invoke(call, true);
        } finally {
            call.channel().lane().done(workers);
        }
    }

    /**
     * Calls the handler on this thread, with a request context active where it can need one. Only a
     * worker thread may be interrupted by a deadline or cancel; a non-blocking handler runs on the
     * container's thread, which nothing of the gateway's ever interrupts.
     */
    private void invoke(Call call, boolean worker) {
        if (call.isCancelled()) {
            call.release();
            return;
        }
        RequestContextController context = call.handler().needsRequestContext() ? requestContext.get() : null;
        boolean activated = context != null && context.activate();
        CompletionStage<?> stage;
        if (worker) {
            call.enter();
        }
        try {
            stage = call.handler().invoke(call.request().params(), call);
        } catch (Throwable failure) {
            stage = CompletableFuture.failedFuture(failure);
        } finally {
            if (worker) {
                call.leave();
            }
            if (activated) {
                context.deactivate();
            }
        }
        call.running(stage);
        stage.whenComplete((result, failure) -> {
            if (failure == null && result instanceof Flow.Publisher<?> publisher && !call.isCancelled()) {
                stream(call, publisher);
                return;
            }
            try {
                if (!call.isCancelled()) {
                    outcomes.answer(call, result, failure);
                }
            } finally {
                call.release();
            }
        });
    }

    @SuppressWarnings("unchecked")
    private void stream(Call call, Flow.Publisher<?> publisher) {
        StreamCall subscriber = new StreamCall(call, json, outcomes, streamWindow, maxMessageBytes, callTimeoutMs);
        call.extendDeadline(System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(callTimeoutMs));
        try {
            ((Flow.Publisher<Object>) publisher).subscribe(subscriber);
        } catch (RuntimeException e) {
            subscriber.onError(e);
        }
    }

    /** The built-in methods, answered on the caller's thread; counted like calls, and cheap even in a batch. */
    private void builtIn(Channel channel, Request request, Consumer<String> reply) {
        long start = System.nanoTime();
        String answer = switch (request.method()) {
            case "rpc.ping" -> JsonRpc.result(request.replyId(), PONG);
            case "rpc.discover" -> JsonRpc.result(request.replyId(), channel.discovery(discovery, json));
            case "rpc.cancel" -> cancel(channel, request);
            case "rpc.unsubscribe" -> topicMethods.unsubscribe(channel, request);
            case SESSION -> {
                if (sessions != null) {
                    sessions.session(channel, request, reply);
                    telemetry.callFinished(channel, request.replyId(), request.method(), 0, null, start);
                }
                yield sessions == null ? null : "";
            }
            case "rpc.ack" -> sessions == null ? null : sessions.ack(channel, request);
            case "rpc.subscribe" -> {
                topicMethods.subscribe(channel, request, reply, this::accessRefusal);
                telemetry.callFinished(channel, request.replyId(), request.method(), 0, null, start);
                yield "";
            }
            default -> null;
        };
        if (answer == null) {
            refuse(channel, request, Telemetry.UNKNOWN_SERVICE, RpcError.methodNotFound(request.method()), reply);
            return;
        }
        if (answer.isEmpty()) {
            return;
        }
        telemetry.callFinished(channel, request.replyId(), request.method(), 0, null, start);
        reply.accept(request.isNotification() ? null : answer);
    }

    private String cancel(Channel channel, Request request) {
        JsonValue target = request.params() instanceof JsonObject params ? params.get("id") : null;
        if (target == null || (target.getValueType() != JsonValue.ValueType.STRING
                && target.getValueType() != JsonValue.ValueType.NUMBER)) {
            return outcomes.error(request.replyId(), RpcError.invalidParams(
                    Map.of("reason", "rpc.cancel takes {\"id\": <id of the call to cancel>}")));
        }
        Call call = channel.calls().find(target);
        boolean cancelled = call != null && interrupt(call, RpcError.cancelled());
        return JsonRpc.result(request.replyId(), Boolean.toString(cancelled));
    }
}
