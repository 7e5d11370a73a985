package org.multiwebsocket.config;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import org.multiwebsocket.protocol.JsonBinding;

/** The one {@link Jsonb} of the application, shared by the gateway, discovery and the HTTP transport. */
@ApplicationScoped
public class JsonSupport implements Unproxied<JsonSupport> {

    private final Jsonb jsonb = JsonbBuilder.create();

    /** @return the shared instance */
    public Jsonb jsonb() {
        return jsonb;
    }

    /** Serialises a value; JSON-P values are written as they are, null as {@code null}. */
    public String toJson(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof JsonValue json) {
            return json.toString();
        }
        return JsonBinding.toJson(jsonb, value);
    }

    @PreDestroy
    void close() {
        try {
            jsonb.close();
        } catch (Exception ignored) {
            // closing at undeploy: nothing left to do with it
        }
    }
}
