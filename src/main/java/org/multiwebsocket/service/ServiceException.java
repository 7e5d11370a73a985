package org.multiwebsocket.service;

/**
 * Thrown by a handler (or used to complete its {@code CompletionStage} exceptionally) to fail a call
 * on purpose. The caller receives a JSON-RPC error with exactly this code, message and data.
 *
 * <p>The code must lie outside -32768..-32000, the range JSON-RPC reserves for the protocol itself:
 * an application code such as {@code 404} or {@code 1001}. The data, if any, is serialised with JSON-B.
 */
public class ServiceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The lowest code reserved by JSON-RPC 2.0. */
    public static final int RESERVED_MIN = -32768;
    /** The highest code reserved by JSON-RPC 2.0. */
    public static final int RESERVED_MAX = -32000;

    private final int code;
    private final transient Object data;

    /**
     * A failure without data.
     *
     * @param code    the error code, outside -32768..-32000
     * @param message the error message the caller sees
     * @throws IllegalArgumentException if the code is reserved
     */
    public ServiceException(int code, String message) {
        this(code, message, null);
    }

    /**
     * A failure with data.
     *
     * @param code    the error code, outside -32768..-32000
     * @param message the error message the caller sees
     * @param data    details for the caller, serialised with JSON-B; may be null
     * @throws IllegalArgumentException if the code is reserved
     */
    public ServiceException(int code, String message, Object data) {
        super(message, null, false, false);
        if (code >= RESERVED_MIN && code <= RESERVED_MAX) {
            throw new IllegalArgumentException("error code " + code
                    + " is reserved by JSON-RPC (-32768..-32000); choose an application code");
        }
        this.code = code;
        this.data = data;
    }

    /** @return the error code */
    public int code() {
        return code;
    }

    /** @return the error data, or null */
    public Object data() {
        return data;
    }
}
