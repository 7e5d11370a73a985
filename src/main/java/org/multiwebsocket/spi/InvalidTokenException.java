package org.multiwebsocket.spi;

/**
 * A bearer token was refused. The gateway answers the handshake (or HTTP call) with 401; the message
 * is logged, never sent to the client.
 */
public class InvalidTokenException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param reason why the token was refused, for the log */
    public InvalidTokenException(String reason) {
        super(reason);
    }

    /**
     * @param reason why the token was refused, for the log
     * @param cause  the underlying failure
     */
    public InvalidTokenException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
