package org.multiwebsocket.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.query.Predicates;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.topic.ITopic;
import org.multiwebsocket.session.SessionLog;
import org.multiwebsocket.session.SessionStore;

import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Sessions in the grid (PROTOCOL.md section 10), so that a client resumes on any node. Only strings go
 * into the grid:
 * <ul>
 * <li>the map {@code multiwebsocket.sessions}: per session its channel id, token hash and principal;
 * the entry's time to live is the session's, renewed while a socket is attached;</li>
 * <li>a ringbuffer per session, {@code multiwebsocket.session.<id>}: every message it sent, seq = sequence
 * + 1, kept until overwritten (the capacity bounds what a session keeps);</li>
 * <li>the map {@code multiwebsocket.session-calls}: the calls running on some member, by
 * {@code <session> TAB <member uuid> TAB <id>}, so that a call whose member left is answered -32006;</li>
 * <li>the map {@code multiwebsocket.session-subscriptions}: the member holding each of a session's
 * subscriptions, so that the node holding the session's socket takes over those of a member that left;</li>
 * <li>the topic {@code multiwebsocket.session-moves}: a resume takes the session from the node that held its socket.</li>
 * </ul>
 */
final class GridSessions implements SessionStore, MembershipListener {

    private static final Logger LOG = Logger.getLogger(GridSessions.class.getName());
    static final String META = "multiwebsocket.sessions";
    static final String RING_PREFIX = "multiwebsocket.session.";
    static final String CALLS = "multiwebsocket.session-calls";
    static final String MOVES = "multiwebsocket.session-moves";
    static final String SUBSCRIPTIONS = "multiwebsocket.session-subscriptions";

    private final HazelcastInstance hazelcast;
    private final IMap<String, String> meta;
    private final IMap<String, String> calls;
    private final ITopic<String> moves;
    private final IMap<String, String> subscriptions;
    private final String localUuid;
    private final long ttlMs;
    private final long bufferChars;
    private final Executor executor;
    /** The logs of sessions this node has a channel of: attached here, or with calls running here. */
    private final Map<String, GridSessionLog> local = new ConcurrentHashMap<>();

    GridSessions(HazelcastInstance hazelcast, long ttlMs, long bufferChars, int capacity, Executor executor) {
        this.hazelcast = hazelcast;
        this.ttlMs = ttlMs;
        this.bufferChars = bufferChars;
        this.executor = executor;
        hazelcast.getConfig().addMapConfig(new MapConfig(META).setBackupCount(1));
        hazelcast.getConfig().addMapConfig(new MapConfig(CALLS).setBackupCount(1));
        hazelcast.getConfig().addMapConfig(new MapConfig(SUBSCRIPTIONS).setBackupCount(1));
        hazelcast.getConfig().addRingBufferConfig(new RingbufferConfig(RING_PREFIX + "*").setCapacity(capacity)
                .setBackupCount(1).setTimeToLiveSeconds(0));
        this.meta = hazelcast.getMap(META);
        this.calls = hazelcast.getMap(CALLS);
        this.moves = hazelcast.getTopic(MOVES);
        this.subscriptions = hazelcast.getMap(SUBSCRIPTIONS);
        this.localUuid = hazelcast.getCluster().getLocalMember().getUuid().toString();
        meta.addLocalEntryListener((EntryExpiredListener<String, String>) event -> forget(event.getKey()));
        moves.addMessageListener(message -> moved(message.getMessageObject()));
        hazelcast.getCluster().addMembershipListener(this);
    }

    @Override
    public Optional<SessionLog> create(String sessionId, Stored stored) {
        meta.set(sessionId, stored.channelId() + "\n" + HexFormat.of().formatHex(stored.tokenHash()) + "\n"
                + (stored.principal() == null ? "" : stored.principal()), ttlMs, TimeUnit.MILLISECONDS);
        return Optional.of(local.computeIfAbsent(sessionId, this::log));
    }

    @Override
    public Optional<Stored> find(String sessionId) {
        String value = meta.get(sessionId);
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split("\n", 3);
        return Optional.of(new Stored(parts[0], HexFormat.of().parseHex(parts[1]), parts[2].isEmpty() ? null : parts[2],
                local.computeIfAbsent(sessionId, this::log)));
    }

    private GridSessionLog log(String sessionId) {
        Ringbuffer<String> ring = hazelcast.getRingbuffer(RING_PREFIX + sessionId);
        return new GridSessionLog(this, sessionId, ring, bufferChars);
    }

    /** @return whether the grid still holds the session (another node may have its socket) */
    boolean exists(String sessionId) {
        try {
            return meta.containsKey(sessionId);
        } catch (RuntimeException e) {
            return false;
        }
    }

    String localUuid() {
        return localUuid;
    }

    Executor executor() {
        return executor;
    }

    IMap<String, String> calls() {
        return calls;
    }

    /** @return the session's subscriptions, by {@code <session> TAB <topic>}: {@code <member uuid> TAB <epoch> TAB <offset>} */
    IMap<String, String> subscriptions() {
        return subscriptions;
    }

    /** @return the key recording that the member runs the session's call with this id (JSON) */
    String callKey(String sessionId, String memberUuid, String id) {
        return sessionId + "\t" + memberUuid + "\t" + id;
    }

    /** @return the keys of the session's calls running on some member */
    Set<String> callsOf(String sessionId) {
        return calls.keySet(Predicates.like("__key",
                sessionId + "\t%"));
    }

    Set<String> memberUuids() {
        return hazelcast.getCluster().getMembers().stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
    }

    /** The session's socket is now on this node: the node that held it lets go. */
    void took(String sessionId) {
        moves.publish(sessionId + "\n" + localUuid);
    }

    /** While a socket is attached, and when it goes, the session's time to live starts again. */
    void renew(String sessionId) {
        executor.execute(() -> {
            try {
                meta.setTtl(sessionId, ttlMs, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "session " + sessionId + ": its time to live was not renewed", e);
            }
        });
    }

    /** Renews every session attached here; run at a third of the time to live. */
    void renewAttached() {
        local.values().stream().filter(GridSessionLog::attached).forEach(log -> renew(log.sessionId()));
    }

    /** The log is no longer used on this node. */
    void release(GridSessionLog log) {
        local.remove(log.sessionId(), log);
    }

    private void moved(String message) {
        String[] parts = message.split("\n", 2);
        if (parts.length == 2 && !parts[1].equals(localUuid)) {
            GridSessionLog log = local.get(parts[0]);
            if (log != null) {
                log.movedAway();
            }
        }
    }

    /** The session expired: what the grid keeps of it goes. */
    private void forget(String sessionId) {
        executor.execute(() -> {
            try {
                hazelcast.getRingbuffer(RING_PREFIX + sessionId).destroy();
                calls.removeAll(Predicates.like("__key", sessionId + "\t%"));
                subscriptions.removeAll(Predicates.like("__key", sessionId + "\t%"));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "session " + sessionId + ": its messages were not removed", e);
            }
        });
    }

    @Override
    public void memberAdded(MembershipEvent event) {
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        Member gone = event.getMember();
        executor.execute(() -> local.values().stream().filter(GridSessionLog::attached).forEach(log -> {
            log.answerCallsOf(Set.of(gone.getUuid().toString()));
            log.adoptOrphans(memberUuids());
        }));
    }

    @Override
    public String toString() {
        return "sessions in the grid (" + local.size() + " with a channel here)";
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }
}
