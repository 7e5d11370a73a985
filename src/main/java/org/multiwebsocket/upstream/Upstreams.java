package org.multiwebsocket.upstream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.registry.Handler;
import org.multiwebsocket.registry.ServiceRegistry;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The configured upstream webservices: loads each one's OpenAPI document once the application has
 * started, in the background and with retries (an upstream that is down does not hold up the gateway: its
 * services appear when its document loads), publishes its operations to the {@link ServiceRegistry}, and
 * reloads the documents periodically so that new operations appear without a redeploy. A document that
 * cannot be used, or whose operations would take a name another service has, is reported once at SEVERE
 * and the previous one is kept.
 */
@ApplicationScoped
public class Upstreams {

    private static final Logger LOG = Logger.getLogger(Upstreams.class.getName());
    private static final long FIRST_RETRY_MS = 1_000;

    @Inject
    ServiceRegistry registry;
    @Inject
    GatewayConfig config;
    @Inject
    Instance<UpstreamMetrics> metrics;

    private final Map<String, Entry> entries = new ConcurrentSkipListMap<>();
    private ScheduledThreadPoolExecutor timer;
    private ExecutorService executor;
    private UpstreamConfig.All all;

    /** One upstream's state, guarded by itself. */
    private static final class Entry {
        final Upstream upstream;
        final DocumentSource source;
        String hash;
        String failedHash;
        String problem = "not loaded yet";
        String reportedProblem;
        int operations;
        int attempts;

        Entry(Upstream upstream, DocumentSource source) {
            this.upstream = upstream;
            this.source = source;
        }
    }

    /**
     * An upstream as readiness reports it.
     *
     * @param name       its name
     * @param loaded     whether its document is loaded (its services are published)
     * @param operations how many services it publishes
     * @param problem    why its newest document is not in use, or null
     * @param required   whether readiness depends on it
     * @param circuit    its circuit breaker's state
     */
    public record Status(String name, boolean loaded, int operations, String problem, boolean required, String circuit) {
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        all = UpstreamConfig.read(GatewayConfig::value, config.callTimeoutMs());
        if (all.upstreams().isEmpty()) {
            return;
        }
        timer = new ScheduledThreadPoolExecutor(1, threads("multiwebsocket-upstream-timer"));
        timer.setRemoveOnCancelPolicy(true);
        executor = Executors.newCachedThreadPool(threads("multiwebsocket-upstream"));
        UpstreamEvents events = events();
        for (UpstreamConfig.Settings settings : all.upstreams()) {
            Upstream upstream = new Upstream(settings, executor, timer, events, config.maxMessageBytes(),
                    config.retryAfterMs());
            Entry entry = new Entry(upstream, new DocumentSource(settings));
            entries.put(settings.name(), entry);
            LOG.info(() -> "upstream " + settings.name() + ": loading its OpenAPI document from " + entry.source.location());
            executor.execute(() -> load(entry));
        }
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
            executor.shutdownNow();
        }
    }

    /** @return every configured upstream's state, by name */
    public List<Status> status() {
        return entries.values().stream().map(entry -> {
            synchronized (entry) {
                UpstreamConfig.Settings settings = entry.upstream.settings();
                return new Status(settings.name(), entry.hash != null, entry.operations, entry.problem,
                        settings.required(), entry.upstream.circuitState());
            }
        }).toList();
    }

    private UpstreamEvents events() {
        try {
            return metrics.isResolvable() ? metrics.get() : UpstreamEvents.NONE;
        } catch (RuntimeException | LinkageError absent) {
            return UpstreamEvents.NONE;
        }
    }

    /** Loads (or reloads) one document, then schedules the next attempt. */
    private void load(Entry entry) {
        String name = entry.upstream.name();
        String text;
        try {
            text = entry.source.read(entry.upstream.client());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            failed(entry, "its OpenAPI document cannot be read from " + entry.source.location() + ": " + e, Level.WARNING);
            schedule(entry);
            return;
        }
        String hash = sha256(text);
        synchronized (entry) {
            if (hash.equals(entry.hash) || hash.equals(entry.failedHash)) {
                if (hash.equals(entry.hash)) {
                    entry.problem = null;
                    entry.reportedProblem = null;
                }
                schedule(entry);
                return;
            }
        }
        try {
            OpenApiReader.Document document = OpenApiReader.read(text, entry.upstream.settings());
            URI base = entry.source.base(document.serverPath());
            Map<String, Handler> handlers = new TreeMap<>();
            for (OperationSpec spec : document.operations()) {
                UpstreamOperation operation = new UpstreamOperation(entry.upstream, base, spec);
                handlers.put(operation.name(), operation);
            }
            registry.publish(name, handlers);
            synchronized (entry) {
                boolean first = entry.hash == null;
                entry.hash = hash;
                entry.failedHash = null;
                entry.problem = null;
                entry.reportedProblem = null;
                entry.operations = handlers.size();
                entry.attempts = 0;
                LOG.info(() -> "upstream " + name + ": " + (first ? "" : "reloaded, ") + handlers.size()
                        + " operation(s) published at " + base + " " + handlers.keySet());
            }
            document.notes().forEach(note -> LOG.info(() -> "upstream " + name + ": " + note));
        } catch (OpenApiReader.Unusable | RuntimeException e) {
            synchronized (entry) {
                entry.failedHash = hash;
            }
            String what = e instanceof IllegalArgumentException
                    ? "kept out of the gateway: its operations would shadow other services: " + e.getMessage()
                    : "its OpenAPI document from " + entry.source.location() + " cannot be used: " + e.getMessage();
            failed(entry, what + (entry.hash == null ? "" : " (the previous document stays in use)"), Level.SEVERE);
        }
        schedule(entry);
    }

    /** Records a problem; logs it once until it changes (a document that keeps failing is not logged again). */
    private void failed(Entry entry, String problem, Level level) {
        String name = entry.upstream.name();
        synchronized (entry) {
            entry.problem = problem;
            entry.attempts++;
            if (problem.equals(entry.reportedProblem)) {
                return;
            }
            entry.reportedProblem = problem;
        }
        LOG.log(level, "upstream " + name + ": " + problem);
    }

    private void schedule(Entry entry) {
        long delay;
        synchronized (entry) {
            if (entry.hash == null) {
                delay = Math.min(all.retryMaxMs(), FIRST_RETRY_MS << Math.min(entry.attempts, 20));
            } else if (all.reloadMs() > 0) {
                delay = all.reloadMs();
            } else {
                return;
            }
        }
        try {
            timer.schedule(() -> executor.execute(() -> load(entry)), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the application is stopping
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            // whichever thread happens to start it, it finds the application's classes (JSON-P's provider)
            thread.setContextClassLoader(Upstreams.class.getClassLoader());
            return thread;
        };
    }
}
