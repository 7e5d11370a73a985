package org.multiwebsocket.dispatch;

import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.Request;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.registry.Handler;
import org.multiwebsocket.service.CallContext;

import java.security.Principal;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One call in flight. It is answered exactly once: by its handler, its deadline, a cancel, or its
 * channel going away, whichever comes first; the others find it answered and do nothing. Separately,
 * it is released exactly once, when its handler has returned, which frees its slot in the
 * {@link CallTable}.
 */
final class Call implements CallContext {

    private final Channel channel;
    private final Request request;
    private final Handler handler;
    private final Instant deadline;
    private volatile long deadlineNanos;
    private volatile Flow.Subscription stream;
    private volatile Deadlines.Entry deadlineEntry;
    private final Consumer<String> reply;
    private final Telemetry telemetry;
    private final Admission admission;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile CompletableFuture<?> stage;
    /** The worker thread while the handler runs on it; guarded by this. */
    private Thread runner;

    Call(Channel channel, Request request, Handler handler, long timeoutMs, Consumer<String> reply,
         Telemetry telemetry, Admission admission) {
        this.channel = channel;
        this.request = request;
        this.handler = handler;
        this.deadline = Instant.now().plusMillis(timeoutMs);
        this.deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.reply = reply;
        this.telemetry = telemetry;
        this.admission = admission;
    }

    Request request() {
        return request;
    }

    Handler handler() {
        return handler;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /** @param entry the call's place among the deadlines, let go of when the call is answered */
    void deadline(Deadlines.Entry entry) {
        this.deadlineEntry = entry;
        if (answered.get()) {
            entry.clear();
        }
    }

    /** A stream's deadline restarts with each item. */
    void extendDeadline(long nanos) {
        deadlineNanos = nanos;
    }

    /** The call streams through this subscription, which a cancel, deadline or lost channel cancels. */
    void streaming(Flow.Subscription subscription) {
        this.stream = subscription;
        if (answered.get()) {
            subscription.cancel();
            release();
        }
    }

    /**
     * Answers the call unless it is already answered.
     *
     * @param response the response text, sent for a request and dropped for a notification
     * @param error    the error it carries, or null for a result
     * @return whether this was the answer
     */
    boolean answer(String response, RpcError error) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        channel.calls().answered(this);
        clearDeadline();
        if (request.id() != null) {
            channel.answered(request.id());
            reply.accept(response);
        }
        telemetry.callFinished(channel, id(), handler.name(), error == null ? 0 : error.code(),
                error == null ? null : error.message(), startNanos);
        return true;
    }

    /** Answers with an error (deadline, cancel) and stops the handler. */
    boolean interrupt(String response, RpcError error) {
        if (!answer(response, error)) {
            return false;
        }
        stopHandler();
        return true;
    }

    /** The channel went away: answers nobody and stops the handler. */
    void abandon() {
        if (answered.compareAndSet(false, true)) {
            channel.calls().answered(this);
            clearDeadline();
            stopHandler();
        }
    }

    private void clearDeadline() {
        Deadlines.Entry entry = deadlineEntry;
        if (entry != null) {
            entry.clear();
        }
    }

    /** Frees the call's slot on its channel and on the node; the handler has returned (or never ran). */
    void release() {
        if (released.compareAndSet(false, true)) {
            admission.released();
            channel.calls().released();
        }
    }

    Channel channel() {
        return channel;
    }

    /** The handler starts on this thread. */
    synchronized void enter() {
        runner = Thread.currentThread();
    }

    /** The handler returned on this thread: no interrupt meant for it may outlive it. */
    synchronized void leave() {
        runner = null;
        Thread.interrupted();
    }

    /** The handler's own stage, which a cancel or deadline cancels. */
    void running(CompletionStage<?> handlerStage) {
        CompletableFuture<?> future;
        try {
            future = handlerStage.toCompletableFuture();
        } catch (UnsupportedOperationException notConvertible) {
            return;
        }
        this.stage = future;
        if (answered.get()) {
            future.cancel(true);
        }
    }

    private void stopHandler() {
        synchronized (this) {
            if (runner != null) {
                runner.interrupt();
            }
        }
        CompletableFuture<?> pending = stage;
        if (pending != null) {
            pending.cancel(true);
        }
        Flow.Subscription subscription = stream;
        if (subscription != null) {
            subscription.cancel();
            release();
        }
    }

    @Override
    public JsonValue id() {
        return request.replyId();
    }

    @Override
    public String service() {
        return handler.name();
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public String connectionId() {
        return channel.id();
    }

    @Override
    public String transport() {
        return channel.transport();
    }

    @Override
    public Optional<Principal> principal() {
        return channel.principal();
    }

    @Override
    public Optional<String> traceparent() {
        return Optional.ofNullable(channel.traceparent());
    }

    @Override
    public Optional<String> bearerToken() {
        return channel.caller() == null ? Optional.empty() : Optional.ofNullable(channel.caller().bearerToken());
    }

    @Override
    public boolean isCancelled() {
        return answered.get();
    }
}
