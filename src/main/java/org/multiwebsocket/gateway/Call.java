package org.multiwebsocket.gateway;

import org.multiwebsocket.protocol.Request;
import org.multiwebsocket.protocol.RpcError;

import jakarta.json.JsonValue;
import org.multiwebsocket.service.CallContext;

import java.security.Principal;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One call in flight: answered exactly once, by its handler, its deadline, a cancel, or the channel
 * going away, whichever comes first. The rest find it finished and do nothing.
 */
final class Call implements CallContext {

    private final Peer peer;
    private final Request request;
    private final ServiceHandler handler;
    private final Instant deadline;
    private final Consumer<String> reply;
    private final Telemetry telemetry;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Future<?> task;
    private volatile Future<?> timer;
    private volatile CompletionStage<?> stage;

    Call(Peer peer, Request request, ServiceHandler handler, Instant deadline, Consumer<String> reply,
         Telemetry telemetry) {
        this.peer = peer;
        this.request = request;
        this.handler = handler;
        this.deadline = deadline;
        this.reply = reply;
        this.telemetry = telemetry;
    }

    Request request() {
        return request;
    }

    ServiceHandler handler() {
        return handler;
    }

    JsonValue params() {
        return request.params();
    }

    void started(Future<?> task, Future<?> timer) {
        this.task = task;
        this.timer = timer;
        if (finished.get()) {
            timer.cancel(false);
            stop();
        }
    }

    void stage(CompletionStage<?> stage) {
        this.stage = stage;
        if (finished.get()) {
            stop();
        }
    }

    /**
     * Answers the call unless it is already answered.
     *
     * @param response the response text, sent for a request and dropped for a notification
     * @param error    the error it carries, or null for a result
     * @return whether this was the answer
     */
    boolean finish(String response, RpcError error) {
        if (!release()) {
            return false;
        }
        if (request.id() != null) {
            reply.accept(response);
        }
        telemetry.callFinished(peer, id(), handler.name(), error == null ? 0 : error.code(),
                error == null ? null : error.message(), startNanos);
        peer.afterCall();
        return true;
    }

    /** Answers with an error and interrupts the handler (deadline, cancel). */
    boolean interrupt(String response, RpcError error) {
        if (!finish(response, error)) {
            return false;
        }
        stop();
        return true;
    }

    /** The channel went away: stop the handler and answer nobody. */
    void abandon() {
        if (release()) {
            stop();
        }
    }

    /** Marks the call finished and frees its slot; false when it already was. */
    private boolean release() {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        if (request.id() != null) {
            peer.calls.remove(request.id(), this);
        }
        peer.inFlight.decrementAndGet();
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        return true;
    }

    private void stop() {
        Future<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
        CompletionStage<?> pending = stage;
        if (pending != null) {
            try {
                pending.toCompletableFuture().cancel(true);
            } catch (UnsupportedOperationException notCancellable) {
                // a stage that cannot be cancelled finishes on its own; its answer is discarded
            }
        }
    }

    @Override
    public JsonValue id() {
        return request.id() == null ? JsonValue.NULL : request.id();
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
        return peer.id();
    }

    @Override
    public String transport() {
        return peer.transport();
    }

    @Override
    public Optional<Principal> principal() {
        return peer.principal();
    }

    @Override
    public Optional<String> traceparent() {
        return Optional.ofNullable(peer.traceparent());
    }

    @Override
    public boolean isCancelled() {
        return finished.get();
    }
}
