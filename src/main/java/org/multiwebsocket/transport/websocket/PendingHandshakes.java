package org.multiwebsocket.transport.websocket;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Carries what the {@link HandshakeFilter} established to the endpoint configurator of the same
 * handshake, keyed by the handshake's {@code Sec-WebSocket-Key}: the container's upgrade does not pass
 * servlet request state on, and Jakarta WebSocket offers no other channel. The filter removes its entry
 * once the request has passed the container, so an entry lives only while its handshake is in
 * progress; the map is bounded, accepts only well-formed keys, and refuses a key already in progress,
 * so two handshakes can never swap identities.
 */
@ApplicationScoped
public class PendingHandshakes {

    /** Handshakes in progress at once; past it new ones are refused with 503. */
    static final int MAX_PENDING = 10_000;
    /** RFC 6455: the base64 encoding of 16 bytes. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9+/]{22}==");

    /** Why {@link #put} refused an entry. */
    enum Refusal { MALFORMED_KEY, KEY_IN_USE, FULL }

    private final ConcurrentMap<String, Handshake> pending = new ConcurrentHashMap<>();

    /** @return whether the key is a well-formed {@code Sec-WebSocket-Key} */
    static boolean wellFormed(String key) {
        return key != null && key.length() == 24 && KEY.matcher(key).matches();
    }

    /** @return null when stored, else why not */
    Refusal put(String key, Handshake handshake) {
        if (!wellFormed(key)) {
            return Refusal.MALFORMED_KEY;
        }
        if (pending.size() >= MAX_PENDING) {
            return Refusal.FULL;
        }
        return pending.putIfAbsent(key, handshake) == null ? null : Refusal.KEY_IN_USE;
    }

    /**
     * @param key the handshake's {@code Sec-WebSocket-Key}
     * @return what the filter established, or null when the filter did not see this handshake
     */
    Handshake take(String key) {
        return key == null ? null : pending.remove(key);
    }

    /** The handshake is over (upgraded or refused): its entry, if still there, goes. */
    void forget(String key, Handshake handshake) {
        pending.remove(key, handshake);
    }

    /** @return handshakes in progress now */
    public int size() {
        return pending.size();
    }
}
