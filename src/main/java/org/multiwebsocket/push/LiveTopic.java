package org.multiwebsocket.push;

import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.registry.TopicDefinition;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One concrete topic on this node: its log, its subscribers, and the serial executor that delivers
 * its messages in order, off the publisher's thread. Each message's frame is written once and handed
 * to every subscriber as it is.
 */
final class LiveTopic {

    /** Deliveries that may wait for a topic before {@code publish} refuses more. */
    static final int MAX_QUEUED = 100_000;

    private final String name;
    private final TopicDefinition definition;
    private final TopicLog log;
    private final SerialExecutor deliveries;
    private final String framePrefix;
    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();

    LiveTopic(String name, TopicDefinition definition, TopicLog log, Executor pool) {
        this.name = name;
        this.definition = definition;
        this.log = log;
        this.deliveries = new SerialExecutor(pool, MAX_QUEUED);
        this.framePrefix = "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.message\",\"params\":{\"topic\":" + JsonRpc.quote(name)
                + ",\"offset\":";
    }

    String name() {
        return name;
    }

    TopicDefinition definition() {
        return definition;
    }

    int subscribers() {
        return subscribers.size();
    }

    /** Appends the message and queues its delivery; both under one lock, so deliveries keep log order. */
    synchronized long publish(String data) {
        TopicLog.Entry entry = log.append(data);
        String frame = frame(entry);
        deliveries.execute(() -> {
            for (Subscription subscriber : subscribers) {
                subscriber.deliver(frame);
            }
        });
        return entry.offset();
    }

    /**
     * Subscribes: on the delivery executor, so that no message is missed or delivered twice between the
     * replay and the live messages, the answer goes first, then the kept messages after {@code since},
     * then every new message.
     *
     * @param subscription the subscriber
     * @param sinceEpoch   the epoch it resumes from, or null
     * @param sinceOffset  the last offset it saw
     * @param answer       receives {@code (newest offset, epoch, recovered)} as the answer's JSON
     */
    synchronized void subscribe(Subscription subscription, String sinceEpoch, long sinceOffset, Consumer<String> answer) {
        long upTo = log.newest();
        deliveries.execute(() -> {
            TopicLog.Replay replay = log.since(sinceEpoch, sinceOffset, upTo);
            answer.accept("{\"topic\":" + JsonRpc.quote(name) + ",\"offset\":" + upTo + ",\"epoch\":"
                    + JsonRpc.quote(log.epoch()) + ",\"recovered\":" + replay.recovered() + "}");
            for (TopicLog.Entry entry : replay.entries()) {
                subscription.deliver(frame(entry));
            }
            subscribers.add(subscription);
            subscription.attached(() -> subscribers.remove(subscription));
        });
    }

    private String frame(TopicLog.Entry entry) {
        return framePrefix + entry.offset() + ",\"epoch\":\"" + log.epoch() + "\",\"data\":" + entry.data() + "}}";
    }
}
