package org.multiwebsocket.gateway;

import java.util.Map;

/**
 * A JSON-RPC error: code, message and optional data (serialised with JSON-B).
 *
 * @param code    the error code
 * @param message the message
 * @param data    extra detail for the caller, or null
 */
public record RpcError(int code, String message, Object data) {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    public static final int UNAUTHENTICATED = -32001;
    public static final int FORBIDDEN = -32002;
    public static final int TIMEOUT = -32003;
    public static final int OVERLOADED = -32004;
    public static final int CANCELLED = -32005;
    public static final int UNAVAILABLE = -32006;

    static RpcError parseError(String reason) {
        return new RpcError(PARSE_ERROR, "Parse error", Map.of("reason", reason));
    }

    static RpcError invalidRequest(String reason) {
        return new RpcError(INVALID_REQUEST, "Invalid Request", Map.of("reason", reason));
    }

    static RpcError methodNotFound(String method) {
        return new RpcError(METHOD_NOT_FOUND, "Method not found", Map.of("method", method));
    }

    static RpcError invalidParams(Object data) {
        return new RpcError(INVALID_PARAMS, "Invalid params", data);
    }

    static RpcError internalError(String errorId) {
        return new RpcError(INTERNAL_ERROR, "Internal error", Map.of("errorId", errorId));
    }

    static RpcError unauthenticated(String reason) {
        return new RpcError(UNAUTHENTICATED, "Unauthenticated", Map.of("reason", reason));
    }

    static RpcError forbidden() {
        return new RpcError(FORBIDDEN, "Forbidden", null);
    }

    static RpcError timeout(long timeoutMs) {
        return new RpcError(TIMEOUT, "Timeout", Map.of("timeoutMs", timeoutMs));
    }

    static RpcError overloaded(int maxInFlight, long retryAfterMs) {
        return new RpcError(OVERLOADED, "Overloaded", Map.of("maxInFlight", maxInFlight, "retryAfterMs", retryAfterMs));
    }

    static RpcError cancelled() {
        return new RpcError(CANCELLED, "Cancelled", null);
    }

    static RpcError unavailable(String reason) {
        return new RpcError(UNAVAILABLE, "Unavailable", Map.of("reason", reason));
    }
}
