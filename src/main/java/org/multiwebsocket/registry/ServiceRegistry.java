package org.multiwebsocket.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.protocol.ServiceNames;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The deployed services by canonical name, each with its bean reference, resolved once at startup. */
@ApplicationScoped
public class ServiceRegistry {

    private final Map<String, ServiceHandler> handlers;
    private final Map<String, TopicDefinition> topics;

    /** For CDI proxies only. */
    protected ServiceRegistry() {
        this.handlers = Map.of();
        this.topics = Map.of();
    }

    @Inject
    ServiceRegistry(ServiceExtension extension, BeanManager beanManager, JsonSupport json, Validator validator) {
        Map<String, ServiceHandler> resolved = new TreeMap<>();
        for (ServiceDefinition definition : extension.definitions().values()) {
            Bean<?> bean = beanManager.resolve(beanManager.getBeans(definition.beanClass()));
            Object reference = beanManager.getReference(bean, definition.beanClass(),
                    beanManager.createCreationalContext(bean));
            resolved.put(definition.name(), new ServiceHandler(definition, reference, json.jsonb(), validator,
                    RequestContextNeed.of(beanManager, bean)));
        }
        this.handlers = Map.copyOf(resolved);
        this.topics = new TreeMap<>(extension.topics());
    }

    private ServiceRegistry(Collection<ServiceHandler> handlers) {
        Map<String, ServiceHandler> byName = new TreeMap<>();
        handlers.forEach(h -> byName.put(h.name(), h));
        this.handlers = Map.copyOf(byName);
        this.topics = Map.of();
    }

    /**
     * A registry of handlers built outside a container, for tests of the dispatch core.
     *
     * @param handlers the services
     * @return the registry
     */
    public static ServiceRegistry of(Collection<ServiceHandler> handlers) {
        return new ServiceRegistry(handlers);
    }

    /**
     * @param method a method as a caller sent it ({@code "/helloworld/"} or {@code "helloworld"})
     * @return the service, or null when there is none of that name
     */
    public ServiceHandler find(String method) {
        ServiceHandler exact = handlers.get(method);
        return exact != null ? exact : handlers.get(ServiceNames.canonical(method));
    }

    /**
     * A service as discovery lists it.
     *
     * @param description its one-line description
     * @param roles       roles of which a caller needs one, sorted; null when anyone may call, empty
     *                    when nobody may ({@code @DenyAll})
     * @param stream      whether the service answers with a stream of items
     */
    public record Listing(String description, List<String> roles, boolean stream) {
    }

    /** @return every deployed service by canonical name, sorted by name */
    public Map<String, Listing> listings() {
        Map<String, Listing> listings = new TreeMap<>();
        handlers.forEach((name, handler) -> listings.put(name, new Listing(handler.definition().description(),
                handler.access().isOpen() ? null : List.copyOf(handler.access().roles()),
                handler.definition().stream())));
        return listings;
    }

    /** @return the declared topics by listed name ({@code chat}, {@code prices/*}), sorted */
    public Map<String, TopicDefinition> topics() {
        return topics;
    }

    /** Resolves the services as the application starts, not at the first call. */
    void startup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        handlers.size();
    }

    /**
     * @return this bean itself rather than the container's client proxy, for the frame path: it lives as
     *         long as the application, so holding it saves a context lookup on every call
     */
    public ServiceRegistry instance() {
        return this;
    }
}
