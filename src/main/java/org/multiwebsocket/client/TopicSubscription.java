package org.multiwebsocket.client;

import java.util.concurrent.CompletableFuture;

/**
 * A subscription to one topic (PROTOCOL.md section 9), from
 * {@link MultiWebsocketClient#subscribe(String, Class, TopicListener)} until it is closed or ends with
 * {@link TopicListener#onError}. It lives across reconnections: on every new socket the client
 * subscribes again from the last offset it delivered. Thread-safe.
 */
public interface TopicSubscription extends AutoCloseable {

    /** @return the topic's name, as given */
    String topic();

    /**
     * @return completes once the gateway first confirmed the subscription (messages published from then
     *         on are delivered); fails with the error {@link TopicListener#onError} is given if it ends first
     */
    CompletableFuture<Void> subscribed();

    /**
     * Ends the subscription: no message is delivered from now on, and the gateway is sent
     * {@code rpc.unsubscribe} when a socket carries the subscription. The topic may then be subscribed
     * to again. Idempotent.
     *
     * @return the gateway's answer: whether it held the subscription; false at once when no socket
     *         carried it or it had ended already
     */
    CompletableFuture<Boolean> unsubscribe();

    /** {@link #unsubscribe()}, without waiting for the answer. */
    @Override
    void close();
}
