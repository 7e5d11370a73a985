package org.multiwebsocket.client;

import jakarta.json.JsonValue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Behind {@link MultiWebsocketClient#proxy(Class)}: each abstract method of the interface bound once, at
 * creation, to a service of the discovery document at hand (the contract: {@link ServiceName}), then
 * called through the engine as {@code callService} and {@code stream} are. {@code equals} is identity.
 */
final class TypedProxy implements InvocationHandler {

    /** How a method is called: the service, whether it streams, the type its result or items are bound to. */
    private record Binding(String service, boolean stream, Type type) {
    }

    private final Engine engine;
    private final String api;
    private final Map<Method, Binding> bindings;

    private TypedProxy(Engine engine, String api, Map<Method, Binding> bindings) {
        this.engine = engine;
        this.api = api;
        this.bindings = bindings;
    }

    /** @throws IllegalArgumentException when the type is no interface, or naming each method that cannot be bound, and why */
    static <A> A create(Class<A> api, Discovered discovered, Engine engine) {
        if (api == null || !api.isInterface()) {
            throw new IllegalArgumentException("proxy() needs an interface, not " + api);
        }
        Map<Method, Binding> bindings = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Method method : api.getMethods()) {
            String problem = method.isDefault() || Modifier.isStatic(method.getModifiers()) ? null
                    : bind(method, discovered, bindings);
            if (problem != null) {
                problems.add(method.getName() + "(): " + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(api.getName() + " does not fit the gateway: " + String.join("; ", problems));
        }
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api},
                new TypedProxy(engine, api.getName(), Map.copyOf(bindings))));
    }

    /** @return why the method cannot be bound, or null when it now is */
    private static String bind(Method method, Discovered discovered, Map<Method, Binding> bindings) {
        ServiceName name = method.getAnnotation(ServiceName.class);
        boolean stream = method.getReturnType() == Flow.Publisher.class;
        if (name == null) {
            return "has no @ServiceName";
        } else if (method.getParameterCount() > 1) {
            return "takes " + method.getParameterCount() + " arguments; at most one, the params";
        } else if (method.getParameterCount() == 1 && scalar(method.getParameterTypes()[0])) {
            return "its argument, a " + method.getParameterTypes()[0].getSimpleName() + ", is no JSON object or array";
        } else if (!stream && method.getReturnType() != CompletableFuture.class) {
            return "returns " + method.getReturnType().getSimpleName()
                    + "; a call returns CompletableFuture<T>, a stream Flow.Publisher<T>";
        } else if (!discovered.lists(name.value())) {
            return "the gateway serves no service '" + name.value() + "' (discovery lists "
                    + new TreeSet<>(discovered.services()) + ")";
        } else if (discovered.isStream(name.value()) != stream) {
            return stream ? "'" + name.value() + "' is no stream: return CompletableFuture<T>"
                    : "'" + name.value() + "' is a stream: return Flow.Publisher<T>";
        }
        Type type = method.getGenericReturnType() instanceof ParameterizedType p ? p.getActualTypeArguments()[0]
                : JsonValue.class;
        type = type instanceof WildcardType w ? w.getUpperBounds()[0] : type;
        bindings.put(method, new Binding(name.value(), stream, type instanceof TypeVariable<?> ? JsonValue.class : type));
        return null;
    }

    private static boolean scalar(Class<?> type) {
        return type.isPrimitive() || type.isEnum() || CharSequence.class.isAssignableFrom(type)
                || Number.class.isAssignableFrom(type) || type == Boolean.class || type == Character.class;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "MultiWebsocketClient proxy of " + api;
            };
        } else if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        Binding binding = bindings.get(method);
        Object params = args == null ? null : args[0];
        return binding.stream() ? engine.requests.stream(binding.service(), params, binding.type())
                : engine.requests.call(binding.service(), params, binding.type(), 0);
    }
}
