package org.multiwebsocket.cluster;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.discovery.NodeDirectory;
import org.multiwebsocket.push.TopicLog;
import org.multiwebsocket.push.TopicStore;
import org.multiwebsocket.registry.ServiceExtension;
import org.multiwebsocket.registry.TopicDefinition;
import org.multiwebsocket.session.SessionLog;
import org.multiwebsocket.session.SessionStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The cluster, when this node is in one: topics in Payara's Hazelcast grid ({@link TopicStore}) and the
 * gateways the members announce ({@link NodeDirectory}). At startup it looks for the grid and logs one
 * line saying which mode the node runs in; without a grid (Payara Micro with {@code --nohazelcast},
 * another server) it provides nothing and the node keeps its topics in memory, as a single node does.
 */
@ApplicationScoped
public class Cluster implements TopicStore, NodeDirectory, SessionStore {

    private static final Logger LOG = Logger.getLogger(Cluster.class.getName());
    private static final int THREADS = 2;
    /** Hazelcast's system property for its own JVM shutdown hook, which runs beside Payara's. */
    static final String SHUTDOWN_HOOK = "hazelcast.shutdownhook.enabled";
    /** How long a stopping node waits for its sessions' last messages to reach the grid. */
    private static final long SHUTDOWN_WRITES_MS = 5_000;

    @Inject
    GatewayConfig config;
    @Inject
    ServiceExtension extension;
    @Resource
    ManagedThreadFactory threadFactory;

    private ThreadPoolExecutor executor;
    private Grid grid;
    private GridSessions sessions;
    private ScheduledThreadPoolExecutor renewals;

    @PostConstruct
    void start() {
        AtomicInteger counter = new AtomicInteger();
        executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = threadFactory.newThread(task);
            thread.setName("multiwebsocket-cluster-" + counter.incrementAndGet());
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
        List<TopicDefinition> declarations = List.copyOf(extension.topics().values());
        grid = GridProbe.connect(config.nodeUrl().orElse(null), declarations, executor, reason ->
                LOG.info("MultiWebsocket runs as a single node: " + reason + "; topics and discovery stay on this node"))
                .orElse(null);
        if (grid != null) {
            sessions = grid.sessions(config.sessionTtlMs(), config.sessionBufferBytes(), config.sessionBufferMessages());
            renewals = new ScheduledThreadPoolExecutor(1, threadFactory);
            long period = Math.max(1, config.sessionTtlMs() / 3);
            renewals.scheduleAtFixedRate(sessions::renewAttached, period, period, TimeUnit.MILLISECONDS);
            LOG.info("MultiWebsocket runs clustered on Payara's Hazelcast grid: " + grid.describe()
                    + "; topics and sessions are shared by every member");
            if (!"false".equals(System.getProperty(SHUTDOWN_HOOK))) {
                LOG.warning("Hazelcast's own shutdown hook is on: a stopping node leaves the grid at once, before its"
                        + " calls finish, and they are answered -32006 elsewhere; start the node with -D"
                        + SHUTDOWN_HOOK + "=false and Payara leaves the grid after the application has stopped");
            }
        }
    }

    /** Looks for the grid as the application starts, so that this node is announced at once. */
    void startup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        hashCode();
    }

    /** @return whether this node is in a cluster */
    public boolean clustered() {
        return grid != null;
    }

    @Override
    public Optional<TopicLog> open(String topic, TopicDefinition definition) {
        return grid == null ? Optional.empty() : Optional.of(grid.open(topic, definition));
    }

    @Override
    public Optional<SessionLog> create(String sessionId, Stored stored) {
        return sessions == null ? Optional.empty() : sessions.create(sessionId, stored);
    }

    @Override
    public Optional<Stored> find(String sessionId) {
        return sessions == null ? Optional.empty() : sessions.find(sessionId);
    }

    @Override
    public List<String> announcedGatewayUrls() {
        return grid == null ? List.of() : grid.announcedGatewayUrls();
    }

    @PreDestroy
    void stop() {
        if (sessions != null) {
            sessions.awaitWrites(SHUTDOWN_WRITES_MS);
        }
        if (grid != null) {
            grid.close();
        }
        if (renewals != null) {
            renewals.shutdownNow();
        }
        executor.shutdownNow();
    }
}
