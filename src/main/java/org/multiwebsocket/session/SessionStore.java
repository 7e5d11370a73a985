package org.multiwebsocket.session;

import java.util.Optional;

/**
 * Where sessions live beyond this node: the cluster's grid, so that a session opened on one node can be
 * resumed on any other (PROTOCOL.md section 10). Without one, sessions stay in this node's memory.
 */
public interface SessionStore {

    /**
     * A session as the store keeps it.
     *
     * @param channelId the id its handlers see as the connection's
     * @param tokenHash the SHA-256 of its token
     * @param principal the name of the caller it belongs to, or null
     * @param log       its log
     */
    record Stored(String channelId, byte[] tokenHash, String principal, SessionLog log) {
    }

    /**
     * @param sessionId the new session's id
     * @param stored    what to keep of it (its log is ignored)
     * @return its log in the store, or empty when this node keeps its sessions in memory
     */
    Optional<SessionLog> create(String sessionId, Stored stored);

    /**
     * @param sessionId a session's id
     * @return the session, opened on any node, or empty when the store has none by that id (or there is
     *         no store)
     */
    Optional<Stored> find(String sessionId);
}
