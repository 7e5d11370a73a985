package org.multiwebsocket.client;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One call from {@code callService} until its future completes. The future is the one handed to the
 * caller: cancelling it cancels the call.
 */
final class PendingCall<T> extends CompletableFuture<T> {

    /** Where the call went. */
    enum Route { QUEUED, SOCKET, HTTP }

    final String id;
    final String method;
    final String frame;
    final Type resultType;
    final long timeoutMs;
    private final MultiWebsocketClient client;
    volatile Route route = Route.QUEUED;
    volatile Future<?> timer;

    PendingCall(MultiWebsocketClient client, String id, String method, String frame, Type resultType, long timeoutMs) {
        this.client = client;
        this.id = id;
        this.method = method;
        this.frame = frame;
        this.resultType = resultType;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            client.abandoned(this, true);
        }
        return cancelled;
    }

    /** A new future without the cancel hook would lose it; keep dependants plain. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
