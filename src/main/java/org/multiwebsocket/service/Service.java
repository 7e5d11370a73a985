package org.multiwebsocket.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Stereotype;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a CDI bean as a MultiWebsocket service: the gateway finds it at deployment, routes calls
 * for its name to it over the WebSocket and over HTTP, and lists it in discovery.
 *
 * <p>{@code @Service} is a bean-defining stereotype: the class needs no other annotation and is
 * {@link ApplicationScoped} unless it declares another scope. One instance therefore answers many
 * calls concurrently; keep handlers thread-safe.
 *
 * <h2>The handler method</h2>
 * The bean declares exactly one public instance method named {@code call}. It takes, in any order:
 * <ul>
 *   <li>at most one <em>params</em> parameter of any type JSON-B can bind: the JSON-RPC {@code params}
 *   are bound to it (an object to a record or class, an array to a {@code List} or array; a
 *   {@code jakarta.json.JsonValue} receives them as they are). A call without params passes
 *   {@code null}, or an empty instance where the type can be built from {@code {}}.</li>
 *   <li>at most one {@link CallContext}, the call's id, deadline, connection and caller.</li>
 * </ul>
 * It returns the result, which JSON-B serialises ({@code void} and {@code null} answer
 * {@code null}), or a {@link java.util.concurrent.CompletionStage} of it to answer asynchronously.
 * Bean Validation constraints on the params type, and on the method's parameters, are checked
 * before the call; violations answer error -32602 listing them. To fail a call on purpose, throw a
 * {@link ServiceException}; any other exception answers -32603 with no detail.
 *
 * <pre>{@code
 * @Service(value = "/helloworld/", description = "Greets the caller")
 * public class HelloWorld {
 *     public Greeting call(HelloRequest request, CallContext call) { ... }
 * }
 * }</pre>
 *
 * <p>A request context is active during a call when the bean, or any bean it injects (transitively),
 * is {@code @RequestScoped}, or when it injects {@code Instance}, {@code Provider} or
 * {@code BeanManager} for lookups; this is decided once, at deployment.
 *
 * <p>A deployment in which two beans claim one name, a name is empty or reserved ({@code rpc.*}),
 * or a bean has no usable {@code call} method fails with one message listing every problem.
 */
@Stereotype
@ApplicationScoped
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Service {

    /**
     * The service name as a path, as in the original library: {@code "/helloworld/"}. The canonical
     * name drops leading and trailing slashes ({@code helloworld}); inner slashes stay
     * ({@code "/users/search/"} is {@code users/search}). Clients may call either form.
     *
     * @return the service name
     */
    String value();

    /**
     * A one-line description, shown in discovery.
     *
     * @return the description, empty by default
     */
    String description() default "";
}
