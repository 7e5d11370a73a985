package org.multiwebsocket.service;

/**
 * Publishes messages to topics. Inject it into any bean (a handler, a scheduled job, a JAX-RS
 * resource, a CDI observer):
 * <pre>{@code
 * @Inject Topics topics;
 * ...
 * topics.publish("chat", new ChatMessage(name, text));
 * }</pre>
 * A message is serialised with JSON-B once, given the topic's next offset, kept in its history, and
 * delivered to every subscriber in publishing order, off the caller's thread: {@code publish} never
 * waits for a subscriber, and a subscriber that does not read fast enough is closed by the
 * slow-consumer rule without delaying the others. In a cluster, {@code publish} waits until the grid
 * keeps the message (a round trip to the member that holds the topic), and the offset it returns is the
 * same on every node.
 */
public interface Topics {

    /**
     * @param topic   a declared topic ({@link Topic}), or a name below a declared prefix
     * @param message the message, serialised with JSON-B; a {@code jakarta.json.JsonValue} is sent as it is
     * @return the offset the message was given
     * @throws IllegalArgumentException when no {@link Topic} declares the topic
     */
    long publish(String topic, Object message);
}
