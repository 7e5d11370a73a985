package org.multiwebsocket.gateway;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON-RPC 2.0 envelope: parses a frame into requests and writes responses. Pure and thread-safe;
 * the provider and reader factory are looked up once.
 */
final class JsonRpc {

    static final JsonProvider JSON = JsonProvider.provider();
    private static final JsonReaderFactory READERS = JSON.createReaderFactory(Map.of());

    /** What a frame turned out to be. */
    sealed interface Frame permits Unparseable, Single, Batch, InvalidBatch {
    }

    /** Not JSON at all. */
    record Unparseable(String reason) implements Frame {
    }

    /** One request object (or one non-object value, which is an invalid request). */
    record Single(Request request) implements Frame {
    }

    /** A non-empty array of at most the allowed size. */
    record Batch(List<Request> requests) implements Frame {
    }

    /** An empty or oversized batch, answered by one Invalid Request error. */
    record InvalidBatch(String reason) implements Frame {
    }

    private JsonRpc() {
    }

    static Frame parse(String text, int maxBatch) {
        JsonValue value;
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            value = reader.readValue();
        } catch (RuntimeException | StackOverflowError e) {
            // Parsson reports some limits (nesting depth) with a bare RuntimeException
            return new Unparseable("the frame is not valid JSON");
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            return new Single(request(value));
        }
        JsonArray array = value.asJsonArray();
        if (array.isEmpty()) {
            return new InvalidBatch("empty batch");
        }
        if (array.size() > maxBatch) {
            return new InvalidBatch("batch of " + array.size() + " exceeds maxBatch (" + maxBatch + ")");
        }
        List<Request> requests = new ArrayList<>(array.size());
        for (JsonValue element : array) {
            requests.add(request(element));
        }
        return new Batch(requests);
    }

    static Request request(JsonValue value) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return invalid(null, null, "a request must be a JSON object");
        }
        JsonObject object = value.asJsonObject();
        JsonValue id = object.get("id");
        boolean idOk = id == null || id.getValueType() == JsonValue.ValueType.STRING
                || id.getValueType() == JsonValue.ValueType.NUMBER;
        JsonValue replyId = idOk ? id : null;
        JsonValue version = object.get("jsonrpc");
        if (!(version instanceof JsonString s) || !"2.0".equals(s.getString())) {
            return invalid(replyId, null, "jsonrpc must be \"2.0\"");
        }
        JsonValue method = object.get("method");
        if (!(method instanceof JsonString m)) {
            return invalid(replyId, null, "method must be a string");
        }
        if (!idOk) {
            return invalid(null, m.getString(), "id must be a string or a number");
        }
        JsonValue params = object.get("params");
        if (params != null && params.getValueType() != JsonValue.ValueType.OBJECT
                && params.getValueType() != JsonValue.ValueType.ARRAY) {
            return invalid(id, m.getString(), "params must be an object or an array");
        }
        return new Request(id, m.getString(), params, null);
    }

    private static Request invalid(JsonValue id, String method, String reason) {
        return new Request(id == null ? JsonValue.NULL : id, method, null, reason);
    }

    static String result(JsonValue id, String resultJson) {
        return new StringBuilder(resultJson.length() + 40)
                .append("{\"jsonrpc\":\"2.0\",\"id\":").append(id)
                .append(",\"result\":").append(resultJson).append('}').toString();
    }

    static String error(JsonValue id, int code, String message, String dataJson) {
        StringBuilder out = new StringBuilder(96)
                .append("{\"jsonrpc\":\"2.0\",\"id\":").append(id)
                .append(",\"error\":{\"code\":").append(code)
                .append(",\"message\":").append(quote(message));
        if (dataJson != null) {
            out.append(",\"data\":").append(dataJson);
        }
        return out.append("}}").toString();
    }

    static String quote(String text) {
        return JSON.createValue(text == null ? "" : text).toString();
    }

    /**
     * Escapes unpaired surrogates ({@code \ud800}), which JSON strings may hold but UTF-8 cannot
     * encode; answers are otherwise returned as they are.
     */
    static String wellFormed(String json) {
        int i = 0;
        int length = json.length();
        while (i < length && !Character.isSurrogate(json.charAt(i))) {
            i++;
        }
        if (i == length) {
            return json;
        }
        StringBuilder out = new StringBuilder(length + 16).append(json, 0, i);
        for (; i < length; i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(json.charAt(i + 1))) {
                out.append(c).append(json.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String batch(List<String> responses) {
        return "[" + String.join(",", responses) + "]";
    }
}
