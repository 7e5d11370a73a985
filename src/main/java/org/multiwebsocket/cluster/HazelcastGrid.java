package org.multiwebsocket.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.replicatedmap.ReplicatedMap;
import org.multiwebsocket.push.TopicLog;
import org.multiwebsocket.registry.TopicDefinition;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster on Payara's embedded Hazelcast. Only JDK types go into the grid (strings), so no
 * application class ever needs to be found by a class loader of the grid's:
 * <ul>
 * <li>a ringbuffer of JSON strings per concrete topic, {@code multiwebsocket.topic.<topic>}: the
 * message's offset is its sequence + 1, the same on every node;</li>
 * <li>the map {@code multiwebsocket.topic-epochs}: each topic's epoch, under the ringbuffer's own name,
 * so in the ringbuffer's partition and lost with it;</li>
 * <li>the replicated map {@code multiwebsocket.nodes}: each member's announced gateway URL by member
 * UUID, removed when the member leaves.</li>
 * </ul>
 */
final class HazelcastGrid implements Grid, MembershipListener {

    private static final Logger LOG = Logger.getLogger(HazelcastGrid.class.getName());
    /** The prefix of the topics' ringbuffers. */
    static final String RING_PREFIX = "multiwebsocket.topic.";
    /** The map of the topics' epochs. */
    static final String EPOCHS = "multiwebsocket.topic-epochs";
    /** The replicated map of the members' announced gateway URLs. */
    static final String NODES = "multiwebsocket.nodes";
    /** Backups of each ringbuffer and epoch: a topic's history survives any one member leaving. */
    static final int BACKUPS = 1;
    /**
     * Messages a ringbuffer holds at least, beyond the history: how far a node's reader may fall behind
     * the publishers before it misses messages.
     */
    static final int FAN_OUT_WINDOW = 1024;
    /** How often the readers look whether a read waits for what the ringbuffer already holds. */
    static final long PROBE_MS = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HazelcastInstance hazelcast;
    private final IMap<String, String> epochs;
    private final ReplicatedMap<String, String> nodes;
    private final String nodeUrl;
    private final String localUuid;
    private final Executor executor;
    private final UUID registration;
    private final Set<GridTopicLog> followed = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private HazelcastGrid(HazelcastInstance hazelcast, String nodeUrl, List<TopicDefinition> declarations, Executor executor) {
        this.hazelcast = hazelcast;
        this.nodeUrl = nodeUrl;
        this.executor = executor;
        hazelcast.getConfig().addMapConfig(new MapConfig(EPOCHS).setBackupCount(BACKUPS).setAsyncBackupCount(0));
        for (TopicDefinition declaration : declarations) {
            configure(declaration);
        }
        this.epochs = hazelcast.getMap(EPOCHS);
        this.nodes = hazelcast.getReplicatedMap(NODES);
        this.localUuid = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.registration = hazelcast.getCluster().addMembershipListener(this);
        if (nodeUrl != null) {
            nodes.put(localUuid, nodeUrl);
        }
        probeLater();
    }

    /** Every {@link #PROBE_MS}, each reader of this node looks whether it was passed over (GridTopicLog#probe). */
    private void probeLater() {
        try {
            CompletableFuture.delayedExecutor(PROBE_MS, TimeUnit.MILLISECONDS, executor).execute(() -> {
                if (closed()) {
                    return;
                }
                for (GridTopicLog log : followed) {
                    log.probe(TimeUnit.MILLISECONDS.toNanos(PROBE_MS));
                }
                probeLater();
            });
        } catch (RejectedExecutionException stopped) {
            // the application is stopping
        }
    }

    /**
     * Called by name from {@link GridProbe}, once Hazelcast's classes are known to be there.
     *
     * @param instance     what JNDI holds at {@code payara/Hazelcast}
     * @param nodeUrl      this node's URL to announce, or null
     * @param declarations the declared topics
     * @param executor     where readers run
     * @return the grid, or null when the instance is not a running Hazelcast
     */
    static Grid connect(Object instance, String nodeUrl, List<TopicDefinition> declarations, Executor executor) {
        if (!(instance instanceof HazelcastInstance hazelcast) || !hazelcast.getLifecycleService().isRunning()) {
            return null;
        }
        return new HazelcastGrid(hazelcast, nodeUrl, declarations, executor);
    }

    /** The ringbuffers of a declaration: a name pattern for a prefix, sized for its history and the window. */
    private void configure(TopicDefinition declaration) {
        String name = RING_PREFIX + (declaration.prefix() ? declaration.name() + "/*" : declaration.name());
        try {
            hazelcast.getConfig().addRingBufferConfig(new RingbufferConfig(name)
                    .setCapacity(Math.max(declaration.history(), FAN_OUT_WINDOW))
                    .setBackupCount(BACKUPS).setAsyncBackupCount(0).setTimeToLiveSeconds(0));
        } catch (RuntimeException e) {
            // another member configured it differently (another version of the application): theirs stays
            LOG.log(Level.WARNING, "the ringbuffer configuration " + name + " could not be added: " + e);
        }
    }

    @Override
    public GridSessions sessions(long ttlMs, long bufferChars, int capacity) {
        return new GridSessions(hazelcast, ttlMs, bufferChars, capacity, executor);
    }

    @Override
    public TopicLog open(String topic, TopicDefinition definition) {
        return new GridTopicLog(this, hazelcast.getRingbuffer(RING_PREFIX + topic), definition.history());
    }

    /**
     * The epoch of a ringbuffer: the one the grid holds, or a new one when it holds none (the first use,
     * or history lost with the members that held it).
     */
    String epoch(String ringName) {
        String fresh = newEpoch();
        String existing = epochs.putIfAbsent(ringName, fresh);
        return existing == null ? fresh : existing;
    }

    /** @return the members now; a change of them is when history may have been lost */
    Set<Member> members() {
        return hazelcast.getCluster().getMembers();
    }

    /** A log whose reader runs on this node: it checks its epoch whenever members leave. */
    void followed(GridTopicLog log) {
        followed.add(log);
    }

    Executor executor() {
        return executor;
    }

    boolean closed() {
        return closed || !hazelcast.getLifecycleService().isRunning();
    }

    private static String newEpoch() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public List<String> announcedGatewayUrls() {
        if (closed()) {
            return List.of();
        }
        List<String> urls = new ArrayList<>();
        for (Member member : members()) {
            String url = nodes.get(member.getUuid().toString());
            if (url != null) {
                urls.add(url);
            }
        }
        return urls;
    }

    @Override
    public String describe() {
        return "member " + localUuid + " of a cluster of " + members().size() + " member(s)"
                + (nodeUrl == null ? ", announcing no gateway URL (" + org.multiwebsocket.config.GatewayConfig.NODE_URL
                + " is unset)" : ", announcing " + nodeUrl);
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        // its announcement arrives through the replicated map
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        if (!closed()) {
            for (GridTopicLog log : followed) {
                executor.execute(log::membersLeft);
            }
            try {
                nodes.remove(event.getMember().getUuid().toString());
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "the announcement of a member that left stays until another member removes it", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            hazelcast.getCluster().removeMembershipListener(registration);
            nodes.remove(localUuid);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "the grid is gone already", e);
        }
    }
}
