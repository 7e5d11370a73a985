package org.multiwebsocket.registry;

import jakarta.annotation.security.RolesAllowed;
import org.multiwebsocket.protocol.ServiceNames;
import org.multiwebsocket.service.NonBlocking;
import org.multiwebsocket.service.Service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A service as declared by its bean: canonical name, description, bean class and handler method.
 *
 * @param name        the canonical name
 * @param description the one-line description
 * @param beanClass   the bean class
 * @param handler     the handler method
 * @param access      who may call it ({@code @RolesAllowed}, {@code @PermitAll}, {@code @DenyAll})
 */
public record ServiceDefinition(String name, String description, Class<?> beanClass, HandlerMethod handler,
                                AccessRule access) {

    /** @return whether the handler returns a {@link java.util.concurrent.Flow.Publisher}: a stream */
    public boolean stream() {
        return java.util.concurrent.Flow.Publisher.class.isAssignableFrom(handler.method().getReturnType());
    }

    /** @return whether the handler is declared {@link NonBlocking}, on its method or its class */
    public boolean nonBlocking() {
        return handler.method().isAnnotationPresent(NonBlocking.class) || beanClass.isAnnotationPresent(NonBlocking.class);
    }

    /**
     * Checks every {@code @Service} class of a deployment at once.
     *
     * @param annotated  every class annotated {@code @Service}
     * @param beans      those of them that are CDI managed beans
     * @return the definitions by canonical name, or every problem found
     */
    public static Validation validate(Collection<Class<?>> annotated, Set<Class<?>> beans) {
        List<String> problems = new ArrayList<>();
        Map<String, List<Class<?>>> claims = new TreeMap<>();
        Map<String, ServiceDefinition> definitions = new LinkedHashMap<>();
        for (Class<?> type : annotated.stream().sorted(Comparator.comparing(Class::getName)).toList()) {
            Service service = type.getAnnotation(Service.class);
            if (!beans.contains(type)) {
                problems.add(type.getName() + " is annotated @Service but is not a CDI managed bean"
                        + " (it must be a concrete, non-vetoed class with a no-argument or @Inject constructor)");
                continue;
            }
            String nameProblem = ServiceNames.problem(service.value());
            if (nameProblem != null) {
                problems.add(type.getName() + ": " + nameProblem);
            }
            HandlerMethod.Inspection inspection = HandlerMethod.inspect(type);
            problems.addAll(inspection.problems());
            String name = ServiceNames.canonical(service.value());
            claims.computeIfAbsent(name, n -> new ArrayList<>()).add(type);
            if (inspection.handler() != null) {
                AccessRule.Inspection access = AccessRule.of(type, inspection.handler().method());
                problems.addAll(access.problems());
                if (nameProblem == null) {
                    definitions.put(name, new ServiceDefinition(name, service.description(), type, inspection.handler(),
                            access.rule()));
                }
            }
        }
        claims.forEach((name, types) -> {
            if (types.size() > 1) {
                problems.add("the service name '" + name + "' is claimed by " + types.size() + " beans: "
                        + types.stream().map(Class::getName).collect(Collectors.joining(", ")));
            }
        });
        return new Validation(problems.isEmpty() ? definitions : Map.of(), problems);
    }

    /** The outcome of {@link #validate}: definitions when there is no problem. */
    public record Validation(Map<String, ServiceDefinition> definitions, List<String> problems) {

        /** One message listing every problem. */
        public String message() {
            return "MultiWebsocket cannot deploy: " + problems.size() + " problem(s) with @Service and @Topic declarations:"
                    + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
        }
    }
}
