package org.multiwebsocket.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorContext;
import jakarta.validation.ValidatorFactory;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.config.Unproxied;
import org.multiwebsocket.protocol.ServiceNames;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The services by canonical name: the deployment's {@code @Service} beans, resolved once at startup,
 * and groups of handlers published at run time (an upstream webservice's operations), which may come,
 * change and go but never take a name another service has.
 */
@ApplicationScoped
public class ServiceRegistry implements Unproxied<ServiceRegistry> {

    private final Map<String, Handler> beans;
    private final Map<String, TopicDefinition> topics;
    private final Map<String, Map<String, Handler>> groups = new TreeMap<>();
    private final AtomicLong version = new AtomicLong();
    private volatile Map<String, Handler> all;

    /** For CDI proxies only. */
    protected ServiceRegistry() {
        this.beans = Map.of();
        this.topics = Map.of();
        this.all = Map.of();
    }

    /**
     * @param validators Bean Validation; its validator is taken once, because an injected {@code Validator}
     *                   is a client proxy that looks the validator up on every call. Params come from JSON,
     *                   never from JPA, so it treats every property as loaded: the default resolver asks
     *                   JPA's provider resolver about each property on every call where JPA is present
     */
    @Inject
    ServiceRegistry(ServiceExtension extension, BeanManager beanManager, JsonSupport json, ValidatorFactory validators) {
        Validator validator = validator(validators);
        Map<String, Handler> resolved = new TreeMap<>();
        for (ServiceDefinition definition : extension.definitions().values()) {
            Bean<?> bean = beanManager.resolve(beanManager.getBeans(definition.beanClass()));
            Object reference = instance(beanManager, bean, definition.beanClass());
            resolved.put(definition.name(), new ServiceHandler(definition, reference, json.jsonb(), validator,
                    RequestContextNeed.of(beanManager, bean)));
        }
        this.beans = Map.copyOf(resolved);
        this.topics = new TreeMap<>(extension.topics());
        this.all = beans;
    }

    /**
     * The validator of params: every property counts as loaded; on Hibernate Validator without the cache of
     * the resolver's answers, which would cost a map per validation to remember that they are all yes.
     */
    private static Validator validator(ValidatorFactory validators) {
        ValidatorContext context = validators.usingContext().traversableResolver(new EveryPropertyLoaded());
        try {
            context.getClass().getMethod("enableTraversableResolverResultCache", boolean.class).invoke(context, false);
        } catch (ReflectiveOperationException | RuntimeException notHibernateValidator) {
            // another provider, or one without that switch: its default
        }
        return context.getValidator();
    }

    /**
     * The bean to call: for an application-scoped bean its one contextual instance itself (interceptors
     * and decorators included), so that a call costs no client-proxy lookup; for any other scope the
     * container's reference, which finds the right instance per call.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object instance(BeanManager beanManager, Bean<?> bean, Class<?> type) {
        if (bean.getScope() == ApplicationScoped.class) {
            return beanManager.getContext(ApplicationScoped.class).get((Bean) bean, beanManager.createCreationalContext(bean));
        }
        return beanManager.getReference(bean, type, beanManager.createCreationalContext(bean));
    }

    private ServiceRegistry(Collection<? extends Handler> handlers) {
        Map<String, Handler> byName = new TreeMap<>();
        handlers.forEach(h -> byName.put(h.name(), h));
        this.beans = Map.copyOf(byName);
        this.topics = Map.of();
        this.all = beans;
    }

    /**
     * A registry of handlers built outside a container, for tests of the dispatch core.
     *
     * @param handlers the services
     * @return the registry
     */
    public static ServiceRegistry of(Collection<? extends Handler> handlers) {
        return new ServiceRegistry(handlers);
    }

    /**
     * @param method a method as a caller sent it ({@code "/helloworld/"} or {@code "helloworld"})
     * @return the service, or null when there is none of that name
     */
    public Handler find(String method) {
        Map<String, Handler> current = all;
        Handler exact = current.get(method);
        return exact != null ? exact : current.get(ServiceNames.canonical(method));
    }

    /**
     * Publishes (or replaces) a group of handlers, such as an upstream webservice's operations.
     *
     * @param group    the group's name
     * @param handlers its handlers by canonical name; empty withdraws the group
     * @throws IllegalArgumentException naming every name another service already has; nothing changes then
     */
    public synchronized void publish(String group, Map<String, ? extends Handler> handlers) {
        List<String> taken = new ArrayList<>();
        for (String name : handlers.keySet()) {
            if (beans.containsKey(name)) {
                taken.add(name + " (a @Service bean)");
            }
            groups.forEach((other, members) -> {
                if (!other.equals(group) && members.containsKey(name)) {
                    taken.add(name + " (of " + other + ")");
                }
            });
        }
        if (!taken.isEmpty()) {
            throw new IllegalArgumentException(group + " cannot publish services whose names are taken: " + taken);
        }
        if (handlers.isEmpty()) {
            groups.remove(group);
        } else {
            groups.put(group, Map.copyOf(handlers));
        }
        Map<String, Handler> merged = new TreeMap<>(beans);
        groups.values().forEach(merged::putAll);
        all = Map.copyOf(merged);
        version.incrementAndGet();
    }

    /** @return a number that changes whenever the services change, for caches of what is derived from them */
    public long version() {
        return version.get();
    }

    /**
     * A service as discovery lists it.
     *
     * @param handler how the handler lists itself
     * @param roles   roles of which a caller needs one, sorted; null when anyone may call, empty when
     *                nobody may ({@code @DenyAll})
     */
    public record Listing(Handler.Listing handler, List<String> roles) {
    }

    /** @return every service by canonical name, sorted by name */
    public Map<String, Listing> listings() {
        Map<String, Listing> listings = new TreeMap<>();
        all.forEach((name, handler) -> listings.put(name, new Listing(handler.listing(),
                handler.access().isOpen() ? null : List.copyOf(handler.access().roles()))));
        return listings;
    }

    /** @return every service's handler by canonical name, sorted by name */
    public Map<String, Handler> handlers() {
        return new TreeMap<>(all);
    }

    /** @return the declared topics by listed name ({@code chat}, {@code prices/*}), sorted */
    public Map<String, TopicDefinition> topics() {
        return topics;
    }

    /** Resolves the services as the application starts, not at the first call. */
    void startup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        beans.size();
    }
}
