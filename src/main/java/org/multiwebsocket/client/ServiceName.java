package org.multiwebsocket.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a method of an interface given to {@link MultiWebsocketClient#proxy(Class)} to the gateway's
 * service of this name. Such a method
 * <ul>
 *   <li>returns {@code CompletableFuture<T>} for a call, or {@code Flow.Publisher<T>} for a stream service
 *   (one discovery marks {@code "stream": true}), with the contract of {@link MultiWebsocketClient#callService}
 *   and {@link MultiWebsocketClient#stream} respectively;</li>
 *   <li>binds the result, or each item, to its {@code T} with JSON-B: generic types too
 *   ({@code CompletableFuture<List<Greeting>>}), the raw JSON for {@code JsonValue} or a raw return type;</li>
 *   <li>takes no argument (no params) or one, the params: a record, bean, {@code Map}, {@code List}, array
 *   or JSON-P structure that serialises to a JSON object or array; a null argument sends none.</li>
 * </ul>
 * Default methods are left as they are; they may call the bound ones.
 *
 * <pre>{@code
 * interface Examples {
 *     @ServiceName("helloworld") CompletableFuture<Greeting> hello(HelloRequest request);
 *     @ServiceName("words")      Flow.Publisher<String> words(WordsRequest request);
 * }
 * Examples examples = client.proxy(Examples.class);   // once connected
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ServiceName {

    /** @return the service's name, in any of its forms ({@code "/helloworld/"}, {@code "helloworld"}) */
    String value();
}
