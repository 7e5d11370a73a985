package org.multiwebsocket.session;

import org.multiwebsocket.dispatch.Channel;

import java.util.function.Consumer;

/**
 * A session's numbered messages, its known calls and the socket they go to (PROTOCOL.md section 10):
 * in this node's memory ({@link MemorySessionLog}), or in the cluster's grid so that the session can be
 * resumed on any node. Every message the session sends passes through {@link #append}.
 */
public interface SessionLog {

    /**
     * Numbers the frame's messages (each object of a batch its own seq), keeps them until they are
     * acknowledged, and writes them to the attached socket, in seq order.
     *
     * @param frame   a message or a batch answer, as the dispatcher wrote it
     * @param written runs once the frame has been written to a socket, or null
     */
    void append(String frame, Runnable written);

    /**
     * @param id    the id (as JSON) of a call the session received; it is {@code known} until its answer
     *              is acknowledged
     * @param start starts the call's handler: run once the call is recorded, so that it never runs
     *              without being {@code known}
     */
    void received(String id, Runnable start);

    /**
     * @param id the id (as JSON) of a call of the session that got its answer (the answer follows
     *           through {@link #append}); it is no longer running
     */
    void completed(String id);

    /** @param ack the client has every message up to this seq: they may be forgotten */
    void acknowledge(long ack);

    /**
     * Attaches a socket: the answer to {@code rpc.session} first, then every kept message after
     * {@code ack} with its original seq, then live messages.
     *
     * @param socket the socket
     * @param ack    the last seq the client received
     * @param answer writes the answer, given the known call ids as a JSON array
     * @return null when attached, else why the session cannot be resumed
     */
    String attach(Channel socket, long ack, Consumer<String> answer);

    /**
     * @param socket a socket that closed
     * @return whether it was the attached one: the session now waits for a resume
     */
    boolean detach(Channel socket);

    /** @return the attached socket, or null */
    Channel socket();

    /**
     * @return whether more was kept than allowed: the session can no longer be resumed (never, for a log
     *         that forgets its oldest messages by itself and finds out at the resume)
     */
    default boolean overflowed() {
        return false;
    }

    /**
     * A subscription of the session started on this node (or moved here).
     *
     * @param topic the topic
     * @param epoch the topic's epoch then
     * @param offset the newest offset then
     */
    default void subscribed(String topic, String epoch, long offset) {
    }

    /** @param topic a topic the session no longer subscribes to */
    default void unsubscribed(String topic) {
    }

    /**
     * @param owner the session's channel on this node, which takes over subscriptions whose node left the
     *              cluster
     */
    default void owner(Subscriber owner) {
    }

    /** The session's channel on this node, as far as its subscriptions go. */
    interface Subscriber {
        /** Takes over a subscription: messages after {@code offset} of {@code epoch} reach the session. */
        void subscribe(String topic, String epoch, long offset);

        /**
         * Ends the channel's subscriptions here: the session went to another node, which takes them over.
         *
         * @return their topics
         */
        java.util.List<String> release();
    }

    /**
     * @return whether the session lives on elsewhere (resumed on another node of the cluster): then its
     *         channel on this node stays, past its time to live here, while calls of it still run here
     */
    default boolean livesElsewhere() {
        return false;
    }

    /** The session is over: what it kept is forgotten. */
    void end();
}
