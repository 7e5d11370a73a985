package org.multiwebsocket.transport.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's open-connection counts, overall and per remote address. A slot is checked and taken in
 * one step, so concurrent handshakes can never overshoot a limit, and an address whose last
 * connection closed leaves no entry behind.
 */
final class ConnectionLimits {

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();

    /**
     * @param maxConnections open connections the node accepts
     * @param maxPerAddress  open connections accepted from one remote address
     */
    ConnectionLimits(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * @param remote the client's address, or null when unknown (then only the node's limit applies)
     * @return whether a slot was taken; if so, {@link #release(String)} gives it back
     */
    boolean tryAcquire(String remote) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return false;
        }
        if (remote == null) {
            return true;
        }
        boolean[] taken = {false};
        perAddress.compute(remote, (address, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerAddress) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        if (!taken[0]) {
            open.decrementAndGet();
        }
        return taken[0];
    }

    /** @param remote the address a slot was taken for */
    void release(String remote) {
        open.decrementAndGet();
        if (remote != null) {
            perAddress.computeIfPresent(remote, (address, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** @return whether a new connection from this address would be refused now */
    boolean full(String remote) {
        return open.get() >= maxConnections || (remote != null && from(remote) >= maxPerAddress);
    }

    int open() {
        return open.get();
    }

    int from(String remote) {
        Integer count = remote == null ? null : perAddress.get(remote);
        return count == null ? 0 : count;
    }

    /** @return addresses with at least one open connection */
    int addresses() {
        return perAddress.size();
    }
}
