package org.multiwebsocket.client;

import jakarta.json.JsonValue;

/**
 * The call ran past its deadline: either the client's timer fired (the server is then told with
 * {@code rpc.cancel}) or the gateway answered -32003. The code is always -32003.
 */
public class CallTimeoutException extends ServiceCallException {

    private static final long serialVersionUID = 1L;

    /** The JSON-RPC code of a timeout. */
    public static final int CODE = -32003;

    /**
     * @param message what timed out
     * @param data    the gateway's error data, or null for a client-side timeout
     */
    public CallTimeoutException(String message, JsonValue data) {
        super(CODE, message, data);
    }
}
