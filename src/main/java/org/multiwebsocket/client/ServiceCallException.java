package org.multiwebsocket.client;

import jakarta.json.JsonValue;

/**
 * A call answered with a JSON-RPC error, or refused by the client for a reason that has a JSON-RPC
 * code (an unknown service is -32601 without a round trip). {@link #code()}, {@link #getMessage()}
 * and {@link #data()} are the error's members.
 */
public class ServiceCallException extends MultiWebsocketException {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final transient JsonValue data;

    /**
     * @param code    the JSON-RPC error code
     * @param message the error message
     * @param data    the error data, or null
     */
    public ServiceCallException(int code, String message, JsonValue data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    /** @return the JSON-RPC error code: -32601 unknown service, -32602 invalid params, 404 from a handler … */
    public int code() {
        return code;
    }

    /** @return the error data, or null when the error had none */
    public JsonValue data() {
        return data;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + ": " + code + " " + getMessage() + (data == null ? "" : " " + data);
    }
}
