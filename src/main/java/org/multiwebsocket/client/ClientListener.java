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
     * The connection went away; calls in flight have failed with {@link ConnectionLostException} (with a
     * session, they wait instead for the client to resume it), new calls queue until the client reconnects.
     *
     * @param reason what happened
     */
    default void onDisconnected(Throwable reason) {
    }

    /** The client is ready again after a disconnection. */
    default void onReconnected() {
    }

    /**
     * The client resumed its session (PROTOCOL.md section 10) on a new socket, before {@link #onReconnected}:
     * calls in flight, streams and topic subscriptions carry on, nothing was lost or runs twice.
     */
    default void onSessionResumed() {
    }

    /**
     * The gateway could not resume the client's session after a reconnection (expired, overflowed, unknown on
     * the node now answering), before {@link #onReconnected}: every call and stream in flight on it has failed
     * with {@code reason}; the client opened a new session and subscribes its topics again from their last
     * messages ({@link TopicListener#onGap} when some are no longer kept).
     *
     * @param reason what the gateway answered
     */
    default void onSessionLost(SessionLostException reason) {
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
