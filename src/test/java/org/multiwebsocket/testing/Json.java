package org.multiwebsocket.testing;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.Map;

/** Parsing for tests. */
public final class Json {

    private static final JsonProvider JSON = JsonProvider.provider();

    private Json() {
    }

    public static JsonValue parse(String text) {
        try (JsonReader reader = JSON.createReaderFactory(Map.of()).createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    public static JsonObject object(String text) {
        return parse(text).asJsonObject();
    }

    public static JsonArray array(String text) {
        return parse(text).asJsonArray();
    }

    /** A request frame. */
    public static String request(Object id, String method, String paramsJson) {
        String idJson = id instanceof String s ? JSON.createValue(s).toString() : String.valueOf(id);
        return "{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"method\":" + JSON.createValue(method)
                + (paramsJson == null ? "" : ",\"params\":" + paramsJson) + "}";
    }

    /** A notification frame. */
    public static String notification(String method, String paramsJson) {
        return "{\"jsonrpc\":\"2.0\",\"method\":" + JSON.createValue(method)
                + (paramsJson == null ? "" : ",\"params\":" + paramsJson) + "}";
    }
}
