package org.multiwebsocket.client;

/**
 * Hears a client's connection events. Every method has an empty default; override what you need.
 * Listeners run on a client thread, never on the caller's; they must not block for long.
 */
public interface ClientListener {

    /** The client is ready for the first time: discovery done, socket (or HTTP fallback) open. */
    default void onReady() {
    }

    /**
     * The connection went away; calls in flight have failed with {@link ConnectionLostException}, new
     * calls queue until the client reconnects.
     *
     * @param reason what happened
     */
    default void onDisconnected(Throwable reason) {
    }

    /** The client is ready again after a disconnection. */
    default void onReconnected() {
    }

    /**
     * Something failed that no call's future reports: a connection attempt, discovery, a frame the
     * client could not read.
     *
     * @param error the failure
     */
    default void onError(Throwable error) {
    }
}
