package org.multiwebsocket.registry;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a handler bean can need an active request context, decided once at deployment: it does when
 * it, or any bean it injects (transitively), is {@code @RequestScoped}, or when it looks beans up
 * programmatically ({@code Instance}, {@code Provider}, {@code BeanManager}), which this cannot follow.
 * Calls of every other handler run without activating one, which saves its cost on every call.
 */
final class RequestContextNeed {

    private RequestContextNeed() {
    }

    static boolean of(BeanManager beanManager, Bean<?> bean) {
        return needs(beanManager, bean, new HashSet<>());
    }

    private static boolean needs(BeanManager beanManager, Bean<?> bean, Set<Bean<?>> seen) {
        if (!seen.add(bean)) {
            return false;
        }
        if (bean.getScope() == RequestScoped.class) {
            return true;
        }
        for (InjectionPoint point : bean.getInjectionPoints()) {
            Class<?> raw = raw(point.getType());
            if (raw == Instance.class || raw == Provider.class || raw == BeanManager.class) {
                return true;
            }
            Bean<?> injected;
            try {
                injected = beanManager.resolve(beanManager.getBeans(point.getType(),
                        point.getQualifiers().toArray(new Annotation[0])));
            } catch (RuntimeException ambiguousOrBuiltIn) {
                return true;
            }
            if (injected != null && needs(beanManager, injected, seen)) {
                return true;
            }
        }
        return false;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }
}
