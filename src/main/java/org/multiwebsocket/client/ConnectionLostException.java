package org.multiwebsocket.client;

/**
 * The connection went away while the call was in flight (without a session, or, as
 * {@link SessionLostException}, with one the gateway could not resume), or the client was closed. The call
 * is not replayed: whether it ran on the server is unknown, so the caller decides whether to retry.
 */
public class ConnectionLostException extends MultiWebsocketException {

    private static final long serialVersionUID = 1L;

    /** @param message what happened */
    public ConnectionLostException(String message) {
        super(message);
    }

    /**
     * @param message what happened
     * @param cause   the underlying failure
     */
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
