package org.multiwebsocket.transport.http;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.multiwebsocket.config.GatewayConfig;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The topics' open event streams on this node: each is sent a comment ({@code : keep-alive}) every
 * heartbeat, so that a client that went away is found, and its subscription cancelled, on a quiet topic
 * too (a stream is otherwise written only when a message comes), and so that proxies see traffic. The
 * comments are written on a thread of their own: a write can block on a client that stopped reading, and
 * must not hold up the node's timer (deadlines, pings).
 */
@ApplicationScoped
public class TopicStreams {

    /** One stream kept, and what to do once it is gone. */
    private static final class Kept {
        final EventStream events;
        final Runnable gone;

        Kept(EventStream events, Runnable gone) {
            this.events = events;
            this.gone = gone;
        }
    }

    private static final Logger LOG = Logger.getLogger(TopicStreams.class.getName());

    private final Set<Kept> open = ConcurrentHashMap.newKeySet();
    @Resource
    ManagedThreadFactory threadFactory;
    @Inject
    GatewayConfig config;
    private ScheduledExecutorService beat;

    /**
     * @param events a topic's event stream, open
     * @param gone   runs once when the stream is found closed or a comment cannot be written
     */
    void keep(EventStream events, Runnable gone) {
        if (config.heartbeatMs() <= 0) {
            return;
        }
        synchronized (this) {
            if (beat == null) {
                beat = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = threadFactory.newThread(task);
                    thread.setName("multiwebsocket-sse-keep-alive");
                    return thread;
                });
                beat.scheduleWithFixedDelay(this::beat, config.heartbeatMs(), config.heartbeatMs(), TimeUnit.MILLISECONDS);
            }
        }
        open.add(new Kept(events, gone));
    }

    private void beat() {
        for (Kept kept : open) {
            try {
                if (!kept.events.isOpen()) {
                    forget(kept);
                } else {
                    kept.events.comment("keep-alive", () -> forget(kept));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "an event stream's keep-alive failed", e); // the others, and the next beat, go on
                forget(kept);
            }
        }
    }

    private void forget(Kept kept) {
        if (open.remove(kept)) {
            kept.gone.run();
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (beat != null) {
            beat.shutdownNow();
        }
    }
}
