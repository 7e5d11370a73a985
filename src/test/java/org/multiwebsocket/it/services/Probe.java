package org.multiwebsocket.it.services;

import jakarta.inject.Inject;
import org.multiwebsocket.gateway.Gateway;
import org.multiwebsocket.service.Service;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells the tests what happened inside the server: how many handlers were interrupted, the open
 * connections and calls in flight, and (with {@code {"gc": true}}) the heap in use after a GC.
 */
@Service(value = "test/probe", description = "Counters for the tests")
public class Probe {

    static final AtomicInteger INTERRUPTED = new AtomicInteger();

    public record Params(boolean gc) {
    }

    @Inject
    Gateway gateway;

    public Map<String, Long> call(Params params) {
        long heap = -1;
        if (params != null && params.gc()) {
            Runtime runtime = Runtime.getRuntime();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            heap = runtime.totalMemory() - runtime.freeMemory();
        }
        return Map.of("interrupted", (long) INTERRUPTED.get(), "connections", (long) gateway.openConnections(),
                "inFlight", (long) gateway.callsInFlight(), "heapUsed", heap);
    }
}
