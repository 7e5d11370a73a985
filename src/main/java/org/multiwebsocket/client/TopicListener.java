package org.multiwebsocket.client;

/**
 * Hears the messages of one topic the client subscribed to with
 * {@link MultiWebsocketClient#subscribe(String, Class, TopicListener)}. Its methods are called on a
 * client thread, one at a time and in the topic's order, never on the socket's read thread; they
 * should return quickly (messages wait for them in the client's memory).
 *
 * @param <T> the type messages are bound to
 */
@FunctionalInterface
public interface TopicListener<T> {

    /**
     * A message of the topic. Each is delivered at most once, in the order the gateway published them,
     * across reconnections too.
     *
     * @param message the message's data bound to the subscription's type (null for JSON null)
     * @param offset  its offset in the topic: one more than the previous message's, unless
     *                {@link #onGap} came between
     */
    void onMessage(T message, long offset);

    /**
     * Messages were lost: after a reconnection the gateway could no longer replay every message since
     * the last one delivered (more were published than the topic's history keeps, or the gateway lost
     * its history and started a new epoch). Refetch whatever state the topic's messages build; the
     * messages delivered from now on are those published after {@code offset}.
     *
     * @param lastOffset the offset of the last message delivered before the gap, or the topic's newest
     *                   offset when the subscription began
     * @param offset     the topic's newest offset when the client subscribed again
     */
    default void onGap(long lastOffset, long offset) {
    }

    /**
     * The subscription has ended and nothing more will be delivered: the gateway refused it
     * ({@link ServiceCallException}: -32602 an undeclared topic, -32001 / -32002 a missing role,
     * -32004 past {@code maxSubscriptions}), the client could not subscribe over a socket (it is on the
     * HTTP fallback, which carries no topics), a message could not be bound to the type, or the client
     * was closed ({@link ConnectionLostException}). A dropped connection does not end a subscription.
     *
     * @param error why
     */
    default void onError(Throwable error) {
    }
}
