package org.multiwebsocket.protocol;

import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import org.eclipse.yasson.YassonJsonb;

import java.io.StringWriter;
import java.lang.reflect.Type;

/**
 * Binds an already parsed JSON-P value to a Java type without writing it back to text and parsing it
 * again: with Yasson (Payara's and the Java client's JSON-B) straight from the tree; with another
 * JSON-B implementation through its text.
 */
public final class JsonBinding {

    private static final boolean YASSON = yassonVisible();

    private JsonBinding() {
    }

    /**
     * @param jsonb the JSON-B instance
     * @param value a parsed value, not null
     * @param type  the type to bind to
     * @param <T>   the type
     * @return the bound value
     * @throws jakarta.json.bind.JsonbException when the value does not fit the type
     */
    @SuppressWarnings("unchecked")
    public static <T> T fromTree(Jsonb jsonb, JsonValue value, Type type) {
        if (YASSON && value instanceof JsonStructure structure) {
            Object bound = Yasson.bind(jsonb, structure, type);
            if (bound != Yasson.NOT_YASSON) {
                return (T) bound;
            }
        }
        return jsonb.fromJson(value.toString(), type);
    }

    /**
     * Writes a value with JSON-B: with Yasson through a generator of the project's own factory (its
     * buffers, and no factory made per call), otherwise as the JSON-B implementation writes it. The
     * generator is made without settings, so the instance must be one made without generator settings
     * (formatting, encoding), as the project's shared instance is.
     *
     * @param jsonb the JSON-B instance, made without generator settings
     * @param value the value, not null
     * @return its JSON text
     * @throws jakarta.json.bind.JsonbException when it cannot be written
     */
    public static String toJson(Jsonb jsonb, Object value) {
        if (YASSON) {
            String written = Yasson.write(jsonb, value);
            if (written != null) {
                return written;
            }
        }
        return jsonb.toJson(value);
    }

    private static boolean yassonVisible() {
        try {
            Class.forName("org.eclipse.yasson.YassonJsonb", false, JsonBinding.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /** Loaded only when Yasson's API is visible. */
    private static final class Yasson {
        static final Object NOT_YASSON = new Object();

        private static final JsonGeneratorFactory GENERATORS = JsonRpc.JSON.createGeneratorFactory(JsonBuffers.CONFIG);

        static String write(Jsonb jsonb, Object value) {
            if (!(jsonb instanceof YassonJsonb yasson)) {
                return null;
            }
            StringWriter out = new StringWriter(64);
            try (JsonGenerator generator = GENERATORS.createGenerator(out)) {
                yasson.toJson(value, generator);
            }
            return out.toString();
        }

        static Object bind(Jsonb jsonb, JsonStructure structure, Type type) {
            return jsonb instanceof YassonJsonb yasson ? yasson.fromJsonStructure(structure, type) : NOT_YASSON;
        }
    }
}
