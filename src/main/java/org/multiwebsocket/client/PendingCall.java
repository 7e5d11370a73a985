package org.multiwebsocket.client;

import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.Response;
import org.multiwebsocket.protocol.RpcError;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One call from {@code callService} until its future completes. The future is the one handed to the
 * caller: cancelling it cancels the call.
 */
final class PendingCall<T> extends CompletableFuture<T> {

    final JsonValue id;
    /** The id as {@link Response#key()} reads it back. */
    final String key;
    final String method;
    final String frame;
    final Type resultType;
    /** The deadline the caller gave, or 0 for the client's default. */
    final long timeoutMs;
    /** When it was made; for a stream, when its last item came: the deadline runs from it. */
    volatile long madeNanos = System.nanoTime();
    private final Consumer<PendingCall<?>> abandoned;
    /** A stream call's items go here (PROTOCOL.md section 8); null for an ordinary call. */
    volatile StreamSubscription<?> stream;
    /** Where its answer is read, in the order of the frames (a topic's serial executor); null: any worker. */
    volatile Executor answerOn;
    /** The only transport that may carry it (a topic's {@code rpc.subscribe}), or null for any. */
    volatile Transport only;
    /** The transport that carries it, once sent. */
    volatile Transport via;
    volatile Future<?> timer;
    volatile long deadlineMs;

    PendingCall(long id, String method, String paramsJson, Type resultType, long timeoutMs,
                Consumer<PendingCall<?>> abandoned) {
        this.id = JsonRpc.JSON.createValue(id);
        this.key = Long.toString(id);
        this.method = method;
        this.frame = JsonRpc.request(this.id, method, paramsJson);
        this.resultType = resultType;
        this.timeoutMs = timeoutMs;
        this.abandoned = abandoned;
    }

    /** Completes with the answer: its result bound to the result type, or its error as an exception. */
    @SuppressWarnings("unchecked")
    void answer(Response response, Payloads payloads) {
        if (response.error() != null) {
            completeExceptionally(failure(response.error()));
            return;
        }
        try {
            complete((T) payloads.bind(response.result(), resultType));
        } catch (RuntimeException e) {
            completeExceptionally(new MultiWebsocketException(
                    "the result of " + method + " cannot be read as " + resultType.getTypeName(), e));
        }
    }

    static ServiceCallException failure(RpcError error) {
        JsonValue data = error.data() instanceof JsonValue value ? value : null;
        return error.code() == CallTimeoutException.CODE ? new CallTimeoutException(error.message(), data)
                : new ServiceCallException(error.code(), error.message(), data);
    }

    void stopTimer() {
        Future<?> running = timer;
        if (running != null) {
            running.cancel(false);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            abandoned.accept(this);
        }
        return cancelled;
    }

    /** A new future without the cancel hook would lose it; keep dependants plain. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
