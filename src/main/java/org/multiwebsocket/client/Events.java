package org.multiwebsocket.client;


import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who hears about the connection: the listeners, the {@code onReady} callbacks and the future
 * {@code connect()} returned. The methods marked so run under the client's lock; what they return
 * is told outside it.
 */
final class Events {

    private static final Logger LOG = Logger.getLogger(Events.class.getName());

    private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> callbacks = new ArrayList<>();
    private CompletableFuture<Void> nextReady = new CompletableFuture<>();
    private boolean everReady;

    void add(ClientListener listener) {
        listeners.add(listener);
    }

    /** Under the lock. */
    void onNextReady(Runnable callback) {
        callbacks.add(callback);
    }

    /** Under the lock: @return the future of the next ready */
    CompletableFuture<Void> nextReady() {
        return nextReady;
    }

    /** Under the lock: @return the future of the next ready, for the caller to fail; the next call gets a new one */
    CompletableFuture<Void> takeNextReady() {
        CompletableFuture<Void> taken = nextReady;
        nextReady = new CompletableFuture<>();
        return taken;
    }

    /** Under the lock, the client just became ready: @return what tells everyone, to run outside the lock */
    Runnable ready() {
        boolean reconnected = everReady;
        everReady = true;
        List<Runnable> run = List.copyOf(callbacks);
        callbacks.clear();
        CompletableFuture<Void> ready = takeNextReady();
        return () -> {
            ready.complete(null);
            each(listener -> {
                if (reconnected) {
                    listener.onReconnected();
                } else {
                    listener.onReady();
                }
            });
            run.forEach(callback -> safely(callback, "an onReady callback"));
        };
    }

    void disconnected(Throwable reason) {
        each(listener -> listener.onDisconnected(reason));
    }

    void sessionResumed() {
        each(ClientListener::onSessionResumed);
    }

    void sessionLost(SessionLostException reason) {
        each(listener -> listener.onSessionLost(reason));
    }

    void error(Throwable error) {
        each(listener -> listener.onError(error));
    }

    private void each(Consumer<ClientListener> event) {
        listeners.forEach(listener -> safely(() -> event.accept(listener), "a client listener"));
    }

    private static void safely(Runnable task, String what) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " failed", e);
        }
    }
}
