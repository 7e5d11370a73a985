package org.multiwebsocket.config;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.function.Supplier;

/** The one {@link Jsonb} of the application, shared by the gateway, discovery and the HTTP transport. */
@ApplicationScoped
public class JsonSupport {

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
        return jsonb.toJson(value);
    }

    @PreDestroy
    void close() {
        try {
            jsonb.close();
        } catch (Exception ignored) {
            // closing at undeploy: nothing left to do with it
        }
    }

    /**
     * @return a supplier of this bean, not of its client proxy (which a method returning {@code this} returns):
     *         the bean lives as long as the application, so the frame path holds it and saves a lookup per call
     */
    public Supplier<JsonSupport> unproxied() {
        return () -> this;
    }
}
