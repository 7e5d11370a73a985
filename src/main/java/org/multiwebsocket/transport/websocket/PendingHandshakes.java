package org.multiwebsocket.transport.websocket;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries what the {@link HandshakeFilter} established to the endpoint configurator of the same
 * handshake, keyed by the handshake's {@code Sec-WebSocket-Key}: the container's upgrade does not
 * pass servlet request state on, and Jakarta WebSocket offers no other channel. Entries of
 * handshakes that never reached the configurator expire.
 */
@ApplicationScoped
public class PendingHandshakes {

    private static final long EXPIRY_NANOS = 60_000_000_000L;

    private record Entry(Handshake handshake, long createdNanos) {
    }

    private final Map<String, Entry> pending = new ConcurrentHashMap<>();

    void put(String key, Handshake handshake) {
        long now = System.nanoTime();
        if (pending.size() > 1_000) {
            pending.values().removeIf(e -> now - e.createdNanos() > EXPIRY_NANOS);
        }
        pending.put(key, new Entry(handshake, now));
    }

    /**
     * @param key the handshake's {@code Sec-WebSocket-Key}
     * @return what the filter established, or null when the filter did not see this handshake
     */
    public Handshake take(String key) {
        Entry entry = key == null ? null : pending.remove(key);
        return entry == null || System.nanoTime() - entry.createdNanos() > EXPIRY_NANOS ? null : entry.handshake();
    }
}
