package org.multiwebsocket.registry;

/** The params could not be bound or broke a constraint: the call is answered -32602 with this data. */
public final class InvalidParams extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient Object data;

    /** @param data the error data: {@code reason} (and {@code property}), or {@code violations} */
    public InvalidParams(Object data) {
        super(null, null, false, false);
        this.data = data;
    }

    /** @return the error data: {@code reason} (and {@code property}), or {@code violations} */
    public Object data() {
        return data;
    }
}
