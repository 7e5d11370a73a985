package org.multiwebsocket.upstream;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Upstream calls in the application registry of MicroProfile Metrics ({@code /metrics}):
 * {@code multiwebsocket_upstream_calls_total{upstream, outcome}} (outcome {@code ok}, the HTTP status of an
 * error answer, or {@code timeout}, {@code unavailable}, {@code circuit-open}, {@code overloaded},
 * {@code too-large}, {@code cancelled}), {@code multiwebsocket_upstream_duration_seconds{upstream}} (a timer of
 * the requests that were sent) and {@code multiwebsocket_upstream_circuit_state{upstream}} (0 closed, 1 open,
 * 2 half-open). On a server without MicroProfile Metrics this bean cannot load and nothing is recorded.
 */
@Dependent
public class UpstreamMetrics implements UpstreamEvents {

    @Inject
    MetricRegistry registry;

    private final Map<String, Map<String, Counter>> calls = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    @Override
    public void call(String upstream, String outcome, long nanos) {
        calls.computeIfAbsent(upstream, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, key -> registry.counter("multiwebsocket.upstream.calls",
                        new Tag("upstream", upstream), new Tag("outcome", outcome))).inc();
        if (nanos > 0) {
            durations.computeIfAbsent(upstream, key -> registry.timer("multiwebsocket.upstream.duration",
                    new Tag("upstream", upstream))).update(Duration.ofNanos(nanos));
        }
    }

    @Override
    public void circuit(String upstream, IntSupplier state) {
        registry.gauge("multiwebsocket.upstream.circuit.state", state, IntSupplier::getAsInt, new Tag("upstream", upstream));
    }
}
