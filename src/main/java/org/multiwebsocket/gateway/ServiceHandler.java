package org.multiwebsocket.gateway;

import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.metadata.MethodDescriptor;
import org.multiwebsocket.service.CallContext;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployed service ready to be called: binds params, validates them and invokes the bean. Everything
 * that can be decided from the types is decided once, here, at startup.
 */
final class ServiceHandler {

    /** What JSON shape the params type wants. */
    private enum Shape { OBJECT, ARRAY, ANY }

    private static final Pattern PROPERTY = Pattern.compile("property '([^']{1,200})'");

    private final ServiceDefinition definition;
    private final Object bean;
    private final Jsonb jsonb;
    private final Validator validator;
    private final Class<?> rawParamsType;
    private final Shape shape;
    private final boolean jsonValueParams;
    private final boolean emptyObjectBindable;
    private final boolean validateParamsObject;
    private final boolean validateMethod;

    ServiceHandler(ServiceDefinition definition, Object bean, Jsonb jsonb, Validator validator) {
        this.definition = definition;
        this.bean = bean;
        this.jsonb = jsonb;
        this.validator = validator;
        HandlerMethod handler = definition.handler();
        Type type = handler.paramsType();
        this.rawParamsType = type == null ? null : raw(type);
        this.jsonValueParams = rawParamsType != null && JsonValue.class.isAssignableFrom(rawParamsType);
        this.shape = shapeOf(rawParamsType);
        this.emptyObjectBindable = type != null && !jsonValueParams && shape != Shape.ARRAY && bindsEmptyObject(type);
        this.validateParamsObject = rawParamsType != null && !rawParamsType.isPrimitive() && !rawParamsType.isArray()
                && !jsonValueParams && !rawParamsType.getName().startsWith("java.")
                && validator.getConstraintsForClass(rawParamsType).isBeanConstrained();
        MethodDescriptor descriptor = validator.getConstraintsForClass(definition.beanClass())
                .getConstraintsForMethod(handler.method().getName(), handler.method().getParameterTypes());
        this.validateMethod = descriptor != null && descriptor.hasConstrainedParameters();
    }

    ServiceDefinition definition() {
        return definition;
    }

    String name() {
        return definition.name();
    }

    /**
     * Binds the params, checks them and calls the handler on the calling thread.
     *
     * @return the handler's result as a stage (completed at once for a synchronous handler)
     * @throws InvalidParams when the params cannot be bound or break a constraint
     * @throws Throwable     what the handler threw
     */
    CompletionStage<?> invoke(JsonValue params, CallContext context) throws Throwable {
        HandlerMethod handler = definition.handler();
        Object[] args = new Object[handler.method().getParameterCount()];
        Object bound = null;
        if (handler.paramsIndex() >= 0) {
            bound = bind(params);
            args[handler.paramsIndex()] = bound;
        }
        if (handler.contextIndex() >= 0) {
            args[handler.contextIndex()] = context;
        }
        validate(bound, args);
        Object result;
        try {
            result = handler.method().invoke(bean, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage;
        }
        return CompletableFuture.completedFuture(result);
    }

    private Object bind(JsonValue params) {
        if (params == null) {
            return emptyObjectBindable ? jsonb.fromJson("{}", definition.handler().paramsType()) : null;
        }
        boolean isObject = params.getValueType() == JsonValue.ValueType.OBJECT;
        if (shape == Shape.OBJECT && !isObject) {
            throw new InvalidParams(Map.of("reason", "params must be a JSON object for this service"));
        }
        if (shape == Shape.ARRAY && isObject) {
            throw new InvalidParams(Map.of("reason", "params must be a JSON array for this service"));
        }
        if (jsonValueParams) {
            if (!rawParamsType.isInstance(params)) {
                throw new InvalidParams(Map.of("reason", "params have the wrong JSON type for this service"));
            }
            return params;
        }
        try {
            return jsonb.fromJson(params.toString(), definition.handler().paramsType());
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

    private void validate(Object bound, Object[] args) {
        Set<? extends ConstraintViolation<?>> violations = Set.of();
        if (validateMethod) {
            violations = validator.forExecutables().validateParameters(bean, definition.handler().method(), args);
        }
        if (violations.isEmpty() && validateParamsObject && bound != null) {
            violations = validator.validate(bound);
        }
        if (!violations.isEmpty()) {
            throw new InvalidParams(Map.of("violations", violations(violations)));
        }
    }

    /**
     * One broken constraint, as the caller sees it in {@code data.violations}.
     *
     * @param path    where, relative to the call: {@code params.email}
     * @param message what is wrong
     */
    @JsonbPropertyOrder({"path", "message"})
    public record Violation(String path, String message) {
    }

    /** The violations, paths relative to {@code params}, sorted. */
    static List<Violation> violations(Collection<? extends ConstraintViolation<?>> violations) {
        return violations.stream()
                .map(v -> new Violation(path(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Violation::path).thenComparing(Violation::message))
                .toList();
    }

    private static String path(Path path) {
        StringBuilder out = new StringBuilder("params");
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                out.append('[').append(node.getKey()).append(']');
            }
            if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                out.append('.').append(node.getName());
            }
        }
        return out.toString();
    }

    private boolean bindsEmptyObject(Type type) {
        try {
            return jsonb.fromJson("{}", type) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Shape shapeOf(Class<?> raw) {
        if (raw == null || raw == Object.class || raw == JsonValue.class) {
            return Shape.ANY;
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw) || jakarta.json.JsonArray.class.isAssignableFrom(raw)) {
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

    /** The params could not be bound or broke a constraint: answered with -32602 and this data. */
    static final class InvalidParams extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Object data;

        InvalidParams(Object data) {
            super(null, null, false, false);
            this.data = data;
        }

        Object data() {
            return data;
        }
    }
}
