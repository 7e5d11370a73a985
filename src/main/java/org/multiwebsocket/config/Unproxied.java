package org.multiwebsocket.config;

import java.util.function.Supplier;

/**
 * An application-scoped bean the frame path holds directly rather than through its client proxy: the
 * bean lives as long as the application, so holding it saves a context lookup on every call.
 *
 * @param <T> the bean's type
 */
public interface Unproxied<T> {

    /**
     * @return a supplier of this bean, not of its client proxy: called through the proxy, this runs on the
     *         bean itself. A supplier, because a client proxy returns itself from a method that returns
     *         {@code this}
     */
    @SuppressWarnings("unchecked")
    default Supplier<T> unproxied() {
        return () -> (T) this;
    }
}
