package org.multiwebsocket.protocol;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON-RPC 2.0 envelope of PROTOCOL.md sections 3 and 4, for both ends: the gateway parses frames
 * into {@link Request}s and writes responses; the Java client writes requests and reads
 * {@link Response}s. Pure and thread-safe; the JSON-P provider and reader factory are looked up once.
 * Results, params and error data travel as JSON text already written (by JSON-B or JSON-P), so this
 * class never serialises application objects itself.
 */
public final class JsonRpc {

    /** The JSON-P provider every part of the project shares. */
    public static final JsonProvider JSON = JsonProvider.provider();
    private static final JsonReaderFactory READERS = JSON.createReaderFactory(JsonBuffers.CONFIG);
    private static final JsonParserFactory PARSERS = JSON.createParserFactory(JsonBuffers.CONFIG);
    private static final Unparseable UNPARSEABLE = new Unparseable("the frame is not valid JSON");
    private static final String NOT_AN_OBJECT = "a request must be a JSON object";

    /** What a frame turned out to be. */
    public sealed interface Frame permits Unparseable, Single, Batch, InvalidBatch {
    }

    /**
     * Not JSON at all.
     *
     * @param reason what is wrong, for the Parse error's data
     */
    public record Unparseable(String reason) implements Frame {
    }

    /**
     * One request object (or one non-object value, which is an invalid request).
     *
     * @param request the request
     */
    public record Single(Request request) implements Frame {
    }

    /**
     * A non-empty array of at most the allowed size.
     *
     * @param requests its elements, in order
     */
    public record Batch(List<Request> requests) implements Frame {
    }

    /**
     * An empty or oversized batch, answered by one Invalid Request error.
     *
     * @param reason why
     */
    public record InvalidBatch(String reason) implements Frame {
    }

    private JsonRpc() {
    }

    /**
     * Reads one frame a client sent. The envelope is read as a stream of events, with no tree made for
     * it; only {@code params} (and an {@code id}) become values. The whole frame is read before anything
     * is returned, so a frame that is not JSON is unparseable however much of it looked like requests.
     * A member repeated in the envelope counts with its last value, as in a tree read by default.
     *
     * @param text     the frame
     * @param maxBatch the largest batch accepted
     * @return what the frame is
     */
    public static Frame parse(String text, int maxBatch) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                return UNPARSEABLE;
            }
            JsonParser.Event first = parser.next();
            Frame frame;
            if (first == JsonParser.Event.START_ARRAY) {
                frame = batch(parser, maxBatch);
            } else {
                frame = new Single(element(parser, first));
            }
            return parser.hasNext() ? UNPARSEABLE : frame;
        } catch (RuntimeException | StackOverflowError e) {
            // Parsson reports some limits (nesting depth) with a bare RuntimeException
            return UNPARSEABLE;
        }
    }

    private static Frame batch(JsonParser parser, int maxBatch) {
        List<Request> requests = new ArrayList<>();
        int size = 0;
        for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_ARRAY; event = parser.next()) {
            if (++size <= maxBatch) {
                requests.add(element(parser, event));
            } else {
                skip(parser, event);
            }
        }
        if (size == 0) {
            return new InvalidBatch("empty batch");
        }
        if (size > maxBatch) {
            return new InvalidBatch("batch of " + size + " exceeds maxBatch (" + maxBatch + ")");
        }
        return new Batch(requests);
    }

    /** One request of a frame, from its first event to its last. */
    private static Request element(JsonParser parser, JsonParser.Event first) {
        if (first != JsonParser.Event.START_OBJECT) {
            skip(parser, first);
            return invalid(null, null, NOT_AN_OBJECT);
        }
        JsonValue id = null;
        JsonValue version = null;
        JsonValue method = null;
        JsonValue params = null;
        for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_OBJECT; event = parser.next()) {
            String key = parser.getString();
            JsonParser.Event value = parser.next();
            switch (key) {
                case "id" -> id = parser.getValue();
                case "jsonrpc" -> version = parser.getValue();
                case "method" -> method = parser.getValue();
                case "params" -> params = parser.getValue();
                default -> skip(parser, value);
            }
        }
        return request(id, version, method, params);
    }

    /**
     * Passes over a value whose first event was just read, event by event: Parsson's own
     * {@code skipArray} and {@code skipObject} never return when the text ends inside the value.
     */
    private static void skip(JsonParser parser, JsonParser.Event first) {
        int depth = first == JsonParser.Event.START_OBJECT || first == JsonParser.Event.START_ARRAY ? 1 : 0;
        while (depth > 0) {
            switch (parser.next()) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                default -> {
                }
            }
        }
    }

    /**
     * @param text JSON text
     * @return its value, or null when it is not JSON (or nests too deeply)
     */
    public static JsonValue read(String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (RuntimeException | StackOverflowError e) {
            // Parsson reports some limits (nesting depth) with a bare RuntimeException
            return null;
        }
    }

    /**
     * Checks one element of a frame.
     *
     * @param value a request as parsed
     * @return the request, or an invalid one carrying the reason
     */
    public static Request request(JsonValue value) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return invalid(null, null, NOT_AN_OBJECT);
        }
        JsonObject object = value.asJsonObject();
        return request(object.get("id"), object.get("jsonrpc"), object.get("method"), object.get("params"));
    }

    private static Request request(JsonValue id, JsonValue version, JsonValue method, JsonValue params) {
        boolean idOk = id == null || id.getValueType() == JsonValue.ValueType.STRING
                || id.getValueType() == JsonValue.ValueType.NUMBER;
        JsonValue replyId = idOk ? id : null;
        if (!(version instanceof JsonString s) || !"2.0".equals(s.getString())) {
            return invalid(replyId, null, "jsonrpc must be \"2.0\"");
        }
        if (!(method instanceof JsonString m)) {
            return invalid(replyId, null, "method must be a string");
        }
        if (!idOk) {
            return invalid(null, m.getString(), "id must be a string or a number");
        }
        if (params != null && params.getValueType() != JsonValue.ValueType.OBJECT
                && params.getValueType() != JsonValue.ValueType.ARRAY) {
            return invalid(id, m.getString(), "params must be an object or an array");
        }
        return new Request(id, m.getString(), params, null);
    }

    private static Request invalid(JsonValue id, String method, String reason) {
        return new Request(id == null ? JsonValue.NULL : id, method, null, reason);
    }

    /**
     * @param id         the call's id
     * @param resultJson the result, written as JSON
     * @return the response
     */
    public static String result(JsonValue id, String resultJson) {
        return new StringBuilder(resultJson.length() + 40)
                .append("{\"jsonrpc\":\"2.0\",\"id\":").append(id)
                .append(",\"result\":").append(resultJson).append('}').toString();
    }

    /**
     * @param id       the call's id ({@link JsonValue#NULL} when unknown)
     * @param code     the error code
     * @param message  the error message
     * @param dataJson the error data written as JSON, or null for none
     * @return the error response
     */
    public static String error(JsonValue id, int code, String message, String dataJson) {
        StringBuilder out = new StringBuilder(96)
                .append("{\"jsonrpc\":\"2.0\",\"id\":").append(id)
                .append(",\"error\":{\"code\":").append(code)
                .append(",\"message\":").append(quote(message));
        if (dataJson != null) {
            out.append(",\"data\":").append(dataJson);
        }
        return out.append("}}").toString();
    }

    /**
     * @param id         the call's id, or null for a notification
     * @param method     the method
     * @param paramsJson the params written as JSON (an object or array), or null for none
     * @return the request frame
     */
    public static String request(JsonValue id, String method, String paramsJson) {
        StringBuilder out = new StringBuilder(64 + (paramsJson == null ? 0 : paramsJson.length()))
                .append("{\"jsonrpc\":\"2.0\",");
        if (id != null) {
            out.append("\"id\":").append(id).append(',');
        }
        out.append("\"method\":").append(quote(method));
        if (paramsJson != null) {
            out.append(",\"params\":").append(paramsJson);
        }
        return out.append('}').toString();
    }

    /**
     * @param id       the stream call's id
     * @param index    the item's index, from 1
     * @param itemJson the item, written as JSON
     * @return the {@code rpc.item} notification (PROTOCOL.md section 8)
     */
    public static String item(JsonValue id, long index, String itemJson) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.item\",\"params\":{\"id\":" + id + ",\"index\":" + index
                + ",\"item\":" + itemJson + "}}";
    }

    /**
     * @param id the id of the call to cancel
     * @return the {@code rpc.cancel} notification for it (PROTOCOL.md section 5)
     */
    public static String cancel(JsonValue id) {
        return request(null, "rpc.cancel", "{\"id\":" + id + "}");
    }

    /**
     * Reads what a gateway sent: one response or a batch of them. Elements that are not response
     * objects are skipped.
     *
     * @param text a frame or HTTP body
     * @return the responses in order
     * @throws IllegalArgumentException when the text is not JSON
     */
    public static List<Response> responses(String text) {
        JsonValue value = read(text);
        if (value == null) {
            throw new IllegalArgumentException("not JSON");
        }
        List<Response> responses = new ArrayList<>(1);
        if (value instanceof JsonArray array) {
            for (JsonValue element : array) {
                add(responses, element);
            }
        } else {
            add(responses, value);
        }
        return responses;
    }

    private static void add(List<Response> responses, JsonValue value) {
        if (value instanceof JsonObject object) {
            responses.add(Response.of(object));
        }
    }

    /**
     * @param text any text
     * @return it as a JSON string literal
     */
    public static String quote(String text) {
        return JSON.createValue(text == null ? "" : text).toString();
    }

    /**
     * Escapes unpaired surrogates ({@code \ud800}), which JSON strings may hold but UTF-8 cannot
     * encode; answers are otherwise returned as they are.
     *
     * @param json JSON text
     * @return the same text, encodable as UTF-8
     */
    public static String wellFormed(String json) {
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

    /**
     * @param responses responses already written
     * @return them as one batch answer
     */
    public static String batch(List<String> responses) {
        return "[" + String.join(",", responses) + "]";
    }
}
