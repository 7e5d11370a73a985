package org.multiwebsocket.registry;

import org.multiwebsocket.service.CallContext;
import org.multiwebsocket.service.Service;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of a {@code @Service} bean's {@code call} method, worked out once at deployment.
 *
 * @param method       the handler method
 * @param paramsIndex  position of the params parameter, or -1 when the handler takes none
 * @param paramsType   its generic type, or null
 * @param contextIndex position of the {@link CallContext} parameter, or -1
 */
public record HandlerMethod(Method method, int paramsIndex, Type paramsType, int contextIndex) {

    static final String METHOD_NAME = "call";

    /** Inspects a bean class; the result holds the handler method or every problem found with it. */
    public static Inspection inspect(Class<?> beanClass) {
        List<Method> candidates = Arrays.stream(beanClass.getMethods())
                .filter(m -> m.getName().equals(METHOD_NAME))
                .filter(m -> !m.isBridge() && !m.isSynthetic() && !Modifier.isStatic(m.getModifiers()))
                .toList();
        String bean = beanClass.getName();
        if (candidates.isEmpty()) {
            return Inspection.failed(bean + " has no public instance method named '" + METHOD_NAME + "'");
        }
        if (candidates.size() > 1) {
            return Inspection.failed(bean + " has " + candidates.size() + " public methods named '" + METHOD_NAME
                    + "', which is ambiguous: " + candidates.stream().map(HandlerMethod::signature)
                    .collect(Collectors.joining(", ")));
        }
        Method method = candidates.get(0);
        Type[] types = method.getGenericParameterTypes();
        int paramsIndex = -1;
        int contextIndex = -1;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == CallContext.class) {
                if (contextIndex >= 0) {
                    problems.add(bean + "." + signature(method) + " takes more than one CallContext");
                }
                contextIndex = i;
            } else {
                if (paramsIndex >= 0) {
                    problems.add(bean + "." + signature(method)
                            + " takes more than one params parameter (at most one, plus an optional CallContext)");
                }
                paramsIndex = i;
                if (!concrete(types[i])) {
                    problems.add(bean + "." + signature(method) + " has a params type with a type variable ("
                            + types[i].getTypeName() + "); declare a concrete type");
                }
            }
        }
        if (!problems.isEmpty()) {
            return new Inspection(null, problems);
        }
        method.trySetAccessible();
        return new Inspection(new HandlerMethod(method, paramsIndex, paramsIndex < 0 ? null : types[paramsIndex],
                contextIndex), List.of());
    }

    private static boolean concrete(Type type) {
        if (type instanceof Class<?>) {
            return true;
        }
        if (type instanceof ParameterizedType p) {
            return Arrays.stream(p.getActualTypeArguments()).allMatch(HandlerMethod::concrete);
        }
        if (type instanceof GenericArrayType a) {
            return concrete(a.getGenericComponentType());
        }
        if (type instanceof WildcardType w) {
            return Arrays.stream(w.getUpperBounds()).allMatch(HandlerMethod::concrete);
        }
        return !(type instanceof TypeVariable<?>);
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** A handler method, or the problems that prevent one. */
    public record Inspection(HandlerMethod handler, List<String> problems) {
        static Inspection failed(String problem) {
            return new Inspection(null, List.of(problem));
        }
    }
}
