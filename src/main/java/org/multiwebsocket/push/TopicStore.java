package org.multiwebsocket.push;

import org.multiwebsocket.registry.TopicDefinition;

import java.util.Optional;

/**
 * Where topics keep their logs when not in this JVM alone: a CDI bean implementing it (the cluster's)
 * replaces the in-memory logs. A store may find at startup that it cannot serve (no grid); it then
 * opens nothing and every topic stays in memory.
 */
public interface TopicStore {

    /**
     * @param topic      a concrete topic name
     * @param definition the declaration that covers it
     * @return the topic's log, shared by every node that opens it; empty when the store is not available
     */
    Optional<TopicLog> open(String topic, TopicDefinition definition);
}
