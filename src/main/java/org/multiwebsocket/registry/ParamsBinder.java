package org.multiwebsocket.registry;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import org.multiwebsocket.protocol.JsonBinding;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds a call's {@code params}, as parsed from the frame, to a handler's params type. What the type
 * accepts (an object, an array, any JSON value; whether it can be built from {@code {}}) is decided
 * once, when the binder is made.
 */
final class ParamsBinder {

    /** What JSON shape the params type wants. */
    private enum Shape { OBJECT, ARRAY, ANY }

    private static final Pattern PROPERTY = Pattern.compile("property '([^']{1,200})'");

    private final Jsonb jsonb;
    private final Type type;
    private final Class<?> raw;
    private final Shape shape;
    private final boolean jsonValue;
    private final boolean emptyObject;

    /**
     * @param jsonb the shared JSON-B
     * @param type  the handler's params type
     */
    ParamsBinder(Jsonb jsonb, Type type) {
        this.jsonb = jsonb;
        this.type = type;
        this.raw = raw(type);
        this.jsonValue = JsonValue.class.isAssignableFrom(raw);
        this.shape = shapeOf(raw);
        this.emptyObject = !jsonValue && shape != Shape.ARRAY && bindsEmptyObject();
    }

    /** @return the raw params class */
    Class<?> raw() {
        return raw;
    }

    /** @return whether the type is the project's or the application's own (so it may carry constraints) */
    boolean isApplicationType() {
        return !raw.isPrimitive() && !raw.isArray() && !jsonValue && !raw.getName().startsWith("java.");
    }

    /**
     * @param params the params as parsed, or null when the request had none
     * @return the bound value
     * @throws InvalidParams when they do not fit the type
     */
    Object bind(JsonValue params) {
        if (params == null) {
            return emptyObject ? jsonb.fromJson("{}", type) : null;
        }
        boolean isObject = params.getValueType() == JsonValue.ValueType.OBJECT;
        if (shape == Shape.OBJECT && !isObject) {
            throw new InvalidParams(Map.of("reason", "params must be a JSON object for this service"));
        }
        if (shape == Shape.ARRAY && isObject) {
            throw new InvalidParams(Map.of("reason", "params must be a JSON array for this service"));
        }
        if (jsonValue) {
            if (!raw.isInstance(params)) {
                throw new InvalidParams(Map.of("reason", "params have the wrong JSON type for this service"));
            }
            return params;
        }
        try {
            return JsonBinding.fromTree(jsonb, params, type);
        } catch (JsonbException | IllegalArgumentException | ClassCastException | ArithmeticException e) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reason", "params do not match the service's parameter type");
            Matcher property = PROPERTY.matcher(String.valueOf(e.getMessage()));
            if (property.find()) {
                data.put("property", property.group(1));
            }
            throw new InvalidParams(data);
        }
    }

    private boolean bindsEmptyObject() {
        try {
            return jsonb.fromJson("{}", type) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Shape shapeOf(Class<?> raw) {
        if (raw == Object.class || raw == JsonValue.class) {
            return Shape.ANY;
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw) || JsonArray.class.isAssignableFrom(raw)) {
            return Shape.ARRAY;
        }
        return Shape.OBJECT;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType a) {
            return Array.newInstance(raw(a.getGenericComponentType()), 0).getClass();
        }
        return Object.class;
    }
}
