package org.multiwebsocket.protocol;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A response as a client reads it: the result, or the error.
 *
 * @param id     the id of the call it answers ({@link JsonValue#NULL} when the gateway could not tell)
 * @param result the result, {@link JsonValue#NULL} for an error response
 * @param error  the error, with its data as a {@link JsonValue} (or null), or null for a result
 */
public record Response(JsonValue id, JsonValue result, RpcError error) {

    /**
     * @param object a response object as received
     * @return the response
     */
    public static Response of(JsonObject object) {
        JsonValue id = object.getOrDefault("id", JsonValue.NULL);
        if (object.get("error") instanceof JsonObject error) {
            int code = error.get("code") instanceof JsonNumber n ? n.intValue() : RpcError.INTERNAL_ERROR;
            String message = error.get("message") instanceof JsonString s ? s.getString() : "error";
            return new Response(id, JsonValue.NULL, new RpcError(code, message, error.get("data")));
        }
        return new Response(id, object.getOrDefault("result", JsonValue.NULL), null);
    }

    /**
     * @return the id as a key: a string's text or a number's digits; null when the id is neither
     */
    public String key() {
        return id instanceof JsonString s ? s.getString() : id instanceof JsonNumber n ? n.toString() : null;
    }
}
