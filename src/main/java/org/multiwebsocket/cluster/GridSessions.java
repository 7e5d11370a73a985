package org.multiwebsocket.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.topic.ITopic;
import org.multiwebsocket.session.SessionLog;
import org.multiwebsocket.session.SessionStore;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
    /** The member of a subscription its node handed over, for the node holding the session's socket to take. */
    static final String RELEASED = "released";
    private static final String RELEASE = "release\n";

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
    /** Messages and call records of this node on their way into the grid. */
    private final AtomicInteger writes = new AtomicInteger();

    GridSessions(HazelcastInstance hazelcast, long ttlMs, long bufferChars, int capacity, Executor executor) {
        this.hazelcast = hazelcast;
        this.ttlMs = ttlMs;
        this.bufferChars = bufferChars;
        this.executor = executor;
        hazelcast.getConfig().addMapConfig(new MapConfig(META).setBackupCount(1));
        hazelcast.getConfig().addMapConfig(bySession(CALLS));
        hazelcast.getConfig().addMapConfig(bySession(SUBSCRIPTIONS));
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

    /** A map whose keys end with {@code @<session id>}. */
    private static MapConfig bySession(String name) {
        return new MapConfig(name).setBackupCount(1);
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
        return escape(id) + "\t" + memberUuid + "@" + sessionId;
    }

    /** @return the session's calls running on some member: {member uuid, id} */
    List<String[]> callsOf(String sessionId) {
        List<String[]> found = new ArrayList<>();
        for (String key : calls.keySet(ofSession(sessionId))) {
            int tab = key.lastIndexOf('\t');
            found.add(new String[] {key.substring(tab + 1, key.lastIndexOf('@')), unescape(key.substring(0, tab))});
        }
        return found;
    }

    /** @return the key recording which member holds the session's subscription to the topic */
    String subscriptionKey(String sessionId, String topic) {
        return escape(topic) + "@" + sessionId;
    }

    /** @return the session's subscriptions by topic: {@code <member uuid or RELEASED> TAB <epoch> TAB <offset>} */
    Map<String, String> subscriptionsOf(String sessionId) {
        Map<String, String> found = new java.util.HashMap<>();
        subscriptions.entrySet(ofSession(sessionId)).forEach(entry ->
                found.put(unescape(entry.getKey().substring(0, entry.getKey().lastIndexOf('@'))), entry.getValue()));
        return found;
    }

    /**
     * The session's entries. This searches every partition: it runs when a session resumes, when a member
     * leaves (for each session attached here) and when a session expires, never per call. (A partition
     * predicate would search one, but needs keys partitioned by the session id, which a dynamically added
     * map configuration with Hazelcast's StringPartitioningStrategy did not give in a test here.)
     */
    private static Predicate<String, String> ofSession(String sessionId) {
        return Predicates.like("__key", "%@" + sessionId);
    }

    /** '@' (and '%', the escape) out of a key's first part: only the session id may follow an '@'. */
    private static String escape(String text) {
        return text.replace("%", "%25").replace("@", "%40");
    }

    private static String unescape(String text) {
        return text.replace("%40", "@").replace("%25", "%");
    }

    /** This node handed the session's subscriptions over: the node holding its socket takes them. */
    void released(String sessionId) {
        moves.publish(RELEASE + sessionId);
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
        submit(() -> {
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

    /** Runs the task on the grid's threads, unless the node is shutting down. */
    private void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException stopping) {
            LOG.log(Level.FINE, "the node is stopping: a grid task was dropped", stopping);
        }
    }

    /** A message is on its way into the grid. */
    void writing() {
        writes.incrementAndGet();
    }

    /** A message reached the grid (or failed to). */
    void written() {
        writes.decrementAndGet();
    }

    /**
     * Waits, at most {@code ms}, until every message on its way into the grid has arrived: a stopping node
     * must not take the answers of its last calls with it.
     */
    void awaitWrites(long ms) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (writes.get() > 0 && System.nanoTime() < end) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The log is no longer used on this node. */
    void release(GridSessionLog log) {
        local.remove(log.sessionId(), log);
    }

    private void moved(String message) {
        if (message.startsWith(RELEASE)) {
            GridSessionLog log = local.get(message.substring(RELEASE.length()));
            if (log != null && log.attached()) {
                executor.execute(() -> log.adoptOrphans(memberUuids()));
            }
            return;
        }
        String[] parts = message.split("\n", 2);
        if (parts.length == 2 && !parts[1].equals(localUuid)) {
            GridSessionLog log = local.get(parts[0]);
            if (log != null) {
                executor.execute(log::movedAway);
            }
        }
    }

    /** The session expired: what the grid keeps of it goes. */
    private void forget(String sessionId) {
        submit(() -> {
            try {
                hazelcast.getRingbuffer(RING_PREFIX + sessionId).destroy();
                calls.removeAll(ofSession(sessionId));
                subscriptions.removeAll(ofSession(sessionId));
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
            log.answerCallsOf(gone.getUuid().toString()::equals);
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
