package org.multiwebsocket.protocol;

import java.util.Map;

/**
 * A JSON-RPC error: code, message and optional data (PROTOCOL.md section 4). On the gateway the
 * data is any object JSON-B can write; read from the wire it is a {@code jakarta.json.JsonValue}.
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
    public static final int NOT_RESUMABLE = -32007;

    public static RpcError parseError(String reason) {
        return new RpcError(PARSE_ERROR, "Parse error", Map.of("reason", reason));
    }

    public static RpcError invalidRequest(String reason) {
        return new RpcError(INVALID_REQUEST, "Invalid Request", Map.of("reason", reason));
    }

    public static RpcError methodNotFound(String method) {
        return new RpcError(METHOD_NOT_FOUND, "Method not found", Map.of("method", method));
    }

    public static RpcError invalidParams(Object data) {
        return new RpcError(INVALID_PARAMS, "Invalid params", data);
    }

    public static RpcError internalError(String errorId) {
        return new RpcError(INTERNAL_ERROR, "Internal error", Map.of("errorId", errorId));
    }

    public static RpcError unauthenticated(String reason) {
        return new RpcError(UNAUTHENTICATED, "Unauthenticated", Map.of("reason", reason));
    }

    public static RpcError forbidden() {
        return new RpcError(FORBIDDEN, "Forbidden", null);
    }

    public static RpcError timeout(long timeoutMs) {
        return new RpcError(TIMEOUT, "Timeout", Map.of("timeoutMs", timeoutMs));
    }

    public static RpcError overloaded(int maxInFlight, long retryAfterMs) {
        return new RpcError(OVERLOADED, "Overloaded", Map.of("maxInFlight", maxInFlight, "retryAfterMs", retryAfterMs));
    }

    public static RpcError atCapacity(long retryAfterMs) {
        return new RpcError(OVERLOADED, "Overloaded", Map.of("reason", "the gateway is at capacity",
                "retryAfterMs", retryAfterMs));
    }

    public static RpcError cancelled() {
        return new RpcError(CANCELLED, "Cancelled", null);
    }

    public static RpcError unavailable(String reason) {
        return new RpcError(UNAVAILABLE, "Unavailable", Map.of("reason", reason));
    }
}
