package org.multiwebsocket.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.config.Unproxied;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether this node takes new calls and connections, and how many: a node-wide cap on calls admitted
 * (running or waiting for a thread), and each client's {@link Lane}, its share of the worker threads.
 * When the application starts to shut down it drains: from then on new calls are answered -32006 and
 * new connections are refused, while calls in flight go on for the grace period.
 */
@ApplicationScoped
public class Admission implements Unproxied<Admission> {

    private final int maxCalls;
    private final int threadsPerClient;
    private final AtomicInteger admitted = new AtomicInteger();
    private final Map<String, Lane> addressLanes = new ConcurrentHashMap<>();
    private volatile boolean draining;

    /** For CDI proxies only. */
    protected Admission() {
        this(1, 1);
    }

    /** @param config the gateway's configuration */
    @Inject
    public Admission(GatewayConfig config) {
        this(config.maxCalls(), config.maxThreadsPerClient());
    }

    private Admission(int maxCalls, int threadsPerClient) {
        this.maxCalls = maxCalls;
        this.threadsPerClient = threadsPerClient;
    }

    /** From now on the node refuses new calls and connections. */
    public void drain() {
        draining = true;
    }

    /** @return whether the node refuses new calls because it is shutting down */
    public boolean isDraining() {
        return draining;
    }

    /** @return a lane of its own, for a WebSocket connection */
    public Lane newLane() {
        return new Lane(threadsPerClient);
    }

    /**
     * @param address a client's remote address
     * @return the lane every HTTP request from that address shares; give it back with {@link #release}
     */
    public Lane laneOf(String address) {
        return addressLanes.compute(address, (key, lane) -> {
            Lane shared = lane == null ? new Lane(threadsPerClient) : lane;
            shared.use();
            return shared;
        });
    }

    /**
     * @param address the address the lane was taken for
     * @param lane    the lane, no longer used by the caller
     */
    public void release(String address, Lane lane) {
        addressLanes.computeIfPresent(address, (key, shared) -> shared == lane && shared.unuse() ? null : shared);
    }

    /** @return calls admitted on this node and not yet released */
    public int callsAdmitted() {
        return admitted.get();
    }

    /** @return remote addresses holding an HTTP lane */
    public int addressLanes() {
        return addressLanes.size();
    }

    boolean tryAdmit() {
        if (admitted.incrementAndGet() > maxCalls) {
            admitted.decrementAndGet();
            return false;
        }
        return true;
    }

    void released() {
        admitted.decrementAndGet();
    }
}
