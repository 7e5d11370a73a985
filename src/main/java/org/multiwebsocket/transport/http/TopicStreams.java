package org.multiwebsocket.transport.http;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.dispatch.Workers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * The topics' open event streams on this node: each is sent a comment ({@code : keep-alive}) every
 * heartbeat, so that a client that went away is found, and its subscription cancelled, on a quiet topic
 * too (a stream is otherwise written only when a message comes), and so that proxies see traffic.
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

    private final Set<Kept> open = ConcurrentHashMap.newKeySet();
    @Inject
    Workers workers;
    @Inject
    GatewayConfig config;
    private ScheduledFuture<?> beat;

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
                beat = workers.every(this::beat, config.heartbeatMs());
            }
        }
        open.add(new Kept(events, gone));
    }

    private void beat() {
        for (Kept kept : open) {
            if (!kept.events.isOpen()) {
                forget(kept);
            } else {
                kept.events.comment("keep-alive", () -> forget(kept));
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
            beat.cancel(false);
        }
    }
}
