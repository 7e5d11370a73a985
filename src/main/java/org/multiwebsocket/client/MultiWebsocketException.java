package org.multiwebsocket.client;

/** The base of every failure the client reports through a call's future or a listener. */
public class MultiWebsocketException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what went wrong */
    public MultiWebsocketException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public MultiWebsocketException(String message, Throwable cause) {
        super(message, cause);
    }
}
