package org.multiwebsocket.push;

import java.util.function.Consumer;

/** One channel's subscription to one topic: where its messages go, until it is cancelled. */
public final class Subscription {

    private final String topic;
    private final Consumer<String> sink;
    private volatile boolean cancelled;
    private volatile long skipThrough;
    private volatile Runnable detach = () -> { };

    /**
     * @param topic the topic
     * @param sink  receives each message's frame, in order
     */
    public Subscription(String topic, Consumer<String> sink) {
        this.topic = topic;
        this.sink = sink;
    }

    /** @return the topic */
    public String topic() {
        return topic;
    }

    void deliver(long offset, String frame) {
        if (!cancelled && offset > skipThrough) {
            sink.accept(frame);
        }
    }

    /** Messages up to this offset are not delivered: the subscriber has them already. */
    void skipThrough(long offset) {
        skipThrough = offset;
    }

    boolean isCancelled() {
        return cancelled;
    }

    void attached(Runnable detachFromTopic) {
        this.detach = detachFromTopic;
        if (cancelled) {
            detachFromTopic.run();
        }
    }

    /** Ends the subscription: no message is delivered after this returns. */
    public void cancel() {
        cancelled = true;
        detach.run();
    }
}
