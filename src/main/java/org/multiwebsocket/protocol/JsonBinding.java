package org.multiwebsocket.protocol;

import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import org.eclipse.yasson.YassonJsonb;

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

        static Object bind(Jsonb jsonb, JsonStructure structure, Type type) {
            return jsonb instanceof YassonJsonb yasson ? yasson.fromJsonStructure(structure, type) : NOT_YASSON;
        }
    }
}
