package org.multiwebsocket.registry;

import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;

import java.lang.annotation.ElementType;

/**
 * Every property is reachable and cascadable: params are bound from JSON, so none is a lazily loaded
 * JPA property, and validation need not ask JPA (which the default resolver does for every property
 * on a server that has JPA).
 */
final class EveryPropertyLoaded implements TraversableResolver {

    @Override
    public boolean isReachable(Object bean, Path.Node property, Class<?> rootBean, Path pathToProperty, ElementType type) {
        return true;
    }

    @Override
    public boolean isCascadable(Object bean, Path.Node property, Class<?> rootBean, Path pathToProperty, ElementType type) {
        return true;
    }
}
