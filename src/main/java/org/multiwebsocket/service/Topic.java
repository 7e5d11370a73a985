package org.multiwebsocket.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Stereotype;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a topic that clients may subscribe to and server code may publish to with {@link Topics}.
 * Put it on any class of the application; the class becomes a CDI bean, but is only a declaration:
 * <pre>{@code
 * @Topic(value = "chat", description = "The chat room", history = 50)
 * public class ChatTopic { }
 *
 * @Topic(value = "prices/*", description = "Prices by symbol", history = 1)
 * @RolesAllowed("trader")
 * public class PriceTopics { }
 * }</pre>
 * A name ending in {@code /*} declares every topic below that prefix ({@code prices/EURUSD}, ...), each
 * with its own history and offsets. {@code @RolesAllowed}, {@code @PermitAll} and {@code @DenyAll} on
 * the class decide who may subscribe, as for services. Two declarations of one name, a name that is
 * empty, reserved ({@code rpc.*}) or has an empty segment, or a negative history fail the deployment
 * with one message listing every problem.
 */
@Stereotype
@ApplicationScoped
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Topic {

    /**
     * The topic's name ({@code chat}), or a prefix followed by {@code /*} ({@code prices/*}).
     *
     * @return the name or prefix
     */
    String value();

    /**
     * A one-line description, shown in discovery.
     *
     * @return the description
     */
    String description() default "";

    /**
     * How many of the newest messages the topic keeps, for subscribers that resume with {@code since}
     * or join late; 0 keeps none.
     *
     * @return the history length
     */
    int history() default 0;
}
