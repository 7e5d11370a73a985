package org.multiwebsocket.client;

import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import org.multiwebsocket.protocol.JsonBinding;

import java.lang.reflect.Type;

import java.util.logging.Level;
import java.util.logging.Logger;

/** The client's JSON-B: params written; results, stream items and topic messages bound. Created at first use; thread-safe. */
final class Payloads implements AutoCloseable {

    private volatile Jsonb jsonb;

    /** @return the payload as JSON params, or null for none */
    String params(Object payload) {
        if (payload == null) {
            return null;
        }
        String json = payload instanceof JsonValue value ? value.toString() : jsonb().toJson(payload);
        char first = json.isEmpty() ? ' ' : json.charAt(0);
        if (first != '{' && first != '[') {
            throw new IllegalArgumentException("params must serialise to a JSON object or array, not " + json);
        }
        return json;
    }

    /** @return the value as the type: itself for JSON-P types, null for JSON null, else bound with JSON-B */
    @SuppressWarnings("unchecked")
    <T> T bind(JsonValue value, Type type) {
        boolean raw = type instanceof Class<?> c && JsonValue.class.isAssignableFrom(c) && c.isInstance(value);
        return (T) (raw || type == JsonValue.class ? value : value == JsonValue.NULL ? null : JsonBinding.fromTree(jsonb(), value, type));
    }

    private Jsonb jsonb() {
        Jsonb created = jsonb;
        if (created == null) {
            synchronized (this) {
                if (jsonb == null) {
                    jsonb = JsonbBuilder.create();
                }
                created = jsonb;
            }
        }
        return created;
    }

    @Override
    public synchronized void close() {
        if (jsonb != null) {
            try {
                jsonb.close();
            } catch (Exception e) {
                Logger.getLogger(Payloads.class.getName()).log(Level.FINE, "closing JSON-B failed", e);
            }
            jsonb = null;
        }
    }
}
