package org.multiwebsocket.registry;

import org.multiwebsocket.protocol.RpcError;

/**
 * A handler that is part of the gateway (an upstream operation) fails a call with a protocol error,
 * such as -32003 Timeout or -32006 Unavailable, which a {@link org.multiwebsocket.service.ServiceException}
 * may not carry: the call is answered with exactly this error.
 */
public final class RpcFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient RpcError error;

    /** @param error the error the caller receives */
    public RpcFailure(RpcError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    /** @return the error the caller receives */
    public RpcError error() {
        return error;
    }
}
