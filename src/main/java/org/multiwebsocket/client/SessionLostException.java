package org.multiwebsocket.client;

import jakarta.json.JsonValue;

/**
 * The gateway could not resume the client's session (PROTOCOL.md section 10) after a reconnection: it
 * expired, overflowed its buffer, or the node that now answers does not know it. Every call and stream
 * that was in flight on the lost session fails with this exception; whether each ran on the server is
 * unknown, so, as with its superclass, the caller decides whether to retry. Calls not sent yet are not
 * affected: they go out on the client's new session. {@link ClientListener#onSessionLost} hears the same.
 */
public class SessionLostException extends ConnectionLostException {

    /** The JSON-RPC code of "not resumable" (PROTOCOL.md section 4). */
    public static final int CODE = -32007;

    private static final long serialVersionUID = 1L;

    private final transient JsonValue data;

    /**
     * @param message what happened
     * @param data    the gateway's error data ({@code reason}), or null
     */
    public SessionLostException(String message, JsonValue data) {
        super(message);
        this.data = data;
    }

    /** @return {@value #CODE}, the code of "not resumable", whatever the gateway answered the resume with */
    public int code() {
        return CODE;
    }

    /** @return the gateway's error data, e.g. {@code {"reason":"unknown or expired session"}}, or null */
    public JsonValue data() {
        return data;
    }

    /** @return the gateway's {@code data.reason}, or null when it gave none */
    public String reason() {
        return data instanceof jakarta.json.JsonObject object && object.get("reason") instanceof jakarta.json.JsonString s
                ? s.getString() : null;
    }
}
