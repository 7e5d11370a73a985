package org.multiwebsocket.push;

import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.registry.TopicDefinition;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One concrete topic on this node: its log, its subscribers, and the serial executor that delivers
 * its messages in order, off the publisher's thread. Messages reach it through the log's feed, in log
 * order (at once from an in-memory log; as this node reads them from the grid in a cluster); each
 * message's frame is written once and handed to every subscriber as it is.
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
    private final Object followLock = new Object();
    private volatile boolean following;
    /** The offset of the newest message handed to the delivery executor. */
    private long lastArrived;
    private String lastEpoch;

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

    /** Appends the message; it reaches the subscribers through the log's feed, in log order. */
    long publish(String data) {
        return log.append(data).offset();
    }

    /** The log's feed: queues the message's delivery, in the order the log hands them over. */
    private synchronized void arrived(String epoch, TopicLog.Entry entry) {
        boolean newEpoch = lastEpoch != null && !lastEpoch.equals(epoch);
        lastEpoch = epoch;
        lastArrived = entry.offset();
        String frame = frame(epoch, entry);
        long offset = entry.offset();
        deliveries.execute(() -> {
            for (Subscription subscriber : subscribers) {
                if (newEpoch) {
                    subscriber.skipThrough(0); // offsets start again with the new history
                }
                subscriber.deliver(offset, frame);
            }
        });
    }

    /** Starts following the log at the first subscription: a topic only published to here needs no feed. */
    private void follow() {
        if (following) {
            return;
        }
        synchronized (followLock) {
            if (!following) {
                long start = log.follow(this::arrived);
                synchronized (this) {
                    lastArrived = Math.max(lastArrived, start);
                }
                following = true;
            }
        }
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
    void subscribe(Subscription subscription, String sinceEpoch, long sinceOffset, Consumer<String> answer) {
        follow();
        synchronized (this) {
            long upTo = lastArrived;
            deliveries.execute(() -> {
                String epoch = log.epoch();
                TopicLog.Replay replay = log.since(sinceEpoch, sinceOffset, upTo);
                if (replay.recovered() && epoch.equals(sinceEpoch) && sinceOffset > upTo) {
                    // it saw newer messages on another node than this one has read yet: not twice
                    subscription.skipThrough(sinceOffset);
                }
                answer.accept("{\"topic\":" + JsonRpc.quote(name) + ",\"offset\":" + upTo + ",\"epoch\":"
                        + JsonRpc.quote(epoch) + ",\"recovered\":" + replay.recovered() + "}");
                for (TopicLog.Entry entry : replay.entries()) {
                    subscription.deliver(entry.offset(), frame(epoch, entry));
                }
                subscribers.add(subscription);
                subscription.attached(() -> subscribers.remove(subscription));
            });
        }
    }

    private String frame(String epoch, TopicLog.Entry entry) {
        return framePrefix + entry.offset() + ",\"epoch\":" + JsonRpc.quote(epoch) + ",\"data\":" + entry.data() + "}}";
    }
}
