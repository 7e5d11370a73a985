package org.multiwebsocket.cluster;

import org.multiwebsocket.push.TopicLog;
import org.multiwebsocket.registry.TopicDefinition;

import java.util.List;

/**
 * The cluster as the rest of this package sees it, without a Hazelcast type in sight, so that the CDI
 * bean ({@link Cluster}) loads on servers where Hazelcast's classes do not exist.
 */
interface Grid {

    /** @return the topic's log in the grid */
    TopicLog open(String topic, TopicDefinition definition);

    /**
     * @param ttlMs       a session's time to live without a socket
     * @param bufferChars characters of messages a resume may replay
     * @param capacity    messages the grid keeps of one session
     * @return the sessions in the grid
     */
    GridSessions sessions(long ttlMs, long bufferChars, int capacity);

    /** @return the gateway URLs the current members announce, in member order */
    List<String> announcedGatewayUrls();

    /** @return one line for the log: the cluster, its members, what this node announces */
    String describe();

    /** Withdraws this node's announcement and stops reading. */
    void close();
}
