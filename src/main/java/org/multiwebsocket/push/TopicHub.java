package org.multiwebsocket.push;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.config.Unproxied;
import org.multiwebsocket.registry.ServiceExtension;
import org.multiwebsocket.registry.TopicDefinition;
import org.multiwebsocket.service.Topics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The topics of this node: publishing ({@link Topics}, for application code) and subscribing (for the
 * dispatcher's {@code rpc.subscribe}). A concrete topic comes to life at its first publish or
 * subscription, under its declaration. Its log is the cluster's when a {@link TopicStore} provides
 * one, otherwise in this JVM.
 */
@ApplicationScoped
public class TopicHub implements Topics, Unproxied<TopicHub> {

    @Inject
    ServiceExtension extension;
    @Inject
    JsonSupport json;
    @Inject
    PushExecutor executor;
    @Inject
    Instance<TopicStore> stores;

    private final Map<String, LiveTopic> live = new ConcurrentHashMap<>();
    private Collection<TopicDefinition> declarations;
    private Executor pool;
    private TopicStore store;

    @PostConstruct
    void start() {
        declarations = extension.topics().values();
        pool = executor.pool();
        store = stores.isResolvable() ? stores.get() : null;
    }

    /**
     * A hub outside a container, for tests of the dispatch core.
     *
     * @param declarations the declared topics
     * @param json         the shared JSON-B
     * @param pool         where deliveries run
     * @return the hub
     */
    public static TopicHub of(Collection<TopicDefinition> declarations, JsonSupport json, Executor pool) {
        TopicHub hub = new TopicHub();
        hub.declarations = List.copyOf(declarations);
        hub.json = json;
        hub.pool = pool;
        return hub;
    }

    /**
     * @param topic a concrete topic name
     * @return its declaration, or null when none covers it
     */
    public TopicDefinition declaration(String topic) {
        for (TopicDefinition definition : declarations) {
            if (definition.covers(topic)) {
                return definition;
            }
        }
        return null;
    }

    @Override
    public long publish(String topic, Object message) {
        return topic(topic).publish(json.toJson(message));
    }

    /**
     * @param subscription the subscriber (its topic is the one subscribed to)
     * @param sinceEpoch   the epoch it resumes from, or null
     * @param sinceOffset  the last offset it saw
     * @param answer       receives the answer's JSON, before any message
     */
    public void subscribe(Subscription subscription, String sinceEpoch, long sinceOffset, Consumer<String> answer) {
        topic(subscription.topic()).subscribe(subscription, sinceEpoch, sinceOffset, answer);
    }

    /** @return subscribers of the topic on this node */
    public int subscribers(String topic) {
        LiveTopic found = live.get(topic);
        return found == null ? 0 : found.subscribers();
    }

    private LiveTopic topic(String name) {
        LiveTopic found = live.get(name);
        if (found != null) {
            return found;
        }
        TopicDefinition definition = declaration(name);
        if (definition == null) {
            throw new IllegalArgumentException("no @Topic declares the topic '" + name + "'");
        }
        return live.computeIfAbsent(name, n -> new LiveTopic(n, definition, log(n, definition), pool));
    }

    /** The cluster's log when there is a cluster (opening one talks to nobody yet), else one in memory. */
    private TopicLog log(String name, TopicDefinition definition) {
        return (store == null ? Optional.<TopicLog>empty() : store.open(name, definition))
                .orElseGet(() -> new MemoryTopicLog(definition.history()));
    }
}
