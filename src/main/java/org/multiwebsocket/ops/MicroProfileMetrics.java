package org.multiwebsocket.ops;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.multiwebsocket.gateway.Gateway;
import org.multiwebsocket.registry.ServiceRegistry;
import org.multiwebsocket.spi.GatewayEvents;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's metrics in the application registry of MicroProfile Metrics (served at
 * {@code /metrics}): open connections, calls by service and outcome, call duration by service,
 * characters received and sent, refused handshakes by reason. Every series of a deployed service
 * exists from startup, at zero, so that a scrape after a restart sees them all. Counters are looked up once per tag
 * combination and kept, and durations go to a fixed-bucket {@link DurationHistogram}, so a call costs
 * two map lookups and a few increments. {@code @Dependent}: its one user holds it directly, with no
 * client proxy on the frame path. On a server without
 * MicroProfile Metrics this bean cannot load and the gateway records nothing.
 */
@Dependent
public class MicroProfileMetrics implements GatewayEvents {

    @Inject
    MetricRegistry registry;
    @Inject
    Gateway gateway;
    @Inject
    ServiceRegistry services;

    private final Map<String, Map<Integer, Counter>> calls = new ConcurrentHashMap<>();
    private final Map<String, DurationHistogram> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private Counter received;
    private Counter sent;

    @PostConstruct
    void register() {
        Gateway connections = gateway;
        registry.gauge("multiwebsocket.connections.open", connections, Gateway::openConnections);
        received = registry.counter("multiwebsocket.received.chars");
        sent = registry.counter("multiwebsocket.sent.chars");
        for (String service : services.listings().keySet()) {
            calls(service, 0);
            durations.computeIfAbsent(service, this::histogram);
        }
        for (String reason : List.of("origin", "token", "limit", "draining", "host")) {
            rejected.computeIfAbsent(reason, key -> registry.counter("multiwebsocket.handshakes.rejected",
                    new Tag("reason", reason)));
        }
    }

    private Counter calls(String service, int code) {
        return calls.computeIfAbsent(service, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(code, key -> registry.counter("multiwebsocket.calls",
                        new Tag("service", service), new Tag("outcome", code == 0 ? "ok" : Integer.toString(code))));
    }

    @Override
    public void callFinished(String service, int code, long nanos) {
        calls(service, code).inc();
        durations.computeIfAbsent(service, this::histogram).record(nanos);
    }

    /**
     * A service's duration histogram, exported in seconds under the series names of a Prometheus
     * histogram: {@code multiwebsocket_call_duration_seconds_bucket{le=...}}, {@code _sum} and {@code _count}.
     */
    private DurationHistogram histogram(String service) {
        DurationHistogram histogram = new DurationHistogram();
        Tag tag = new Tag("service", service);
        registry.gauge("multiwebsocket.call.duration.seconds.count", histogram, DurationHistogram::count, tag);
        registry.gauge("multiwebsocket.call.duration.seconds.sum", histogram, DurationHistogram::sumSeconds, tag);
        for (int i = 0; i <= DurationHistogram.BOUNDS.length; i++) {
            int index = i;
            String le = i == DurationHistogram.BOUNDS.length ? "+Inf" : Double.toString(DurationHistogram.BOUNDS[i]);
            registry.gauge("multiwebsocket.call.duration.seconds.bucket", histogram, h -> h.cumulative(index), tag,
                    new Tag("le", le));
        }
        return histogram;
    }

    @Override
    public void received(long chars) {
        received.inc(chars);
    }

    @Override
    public void sent(long chars) {
        sent.inc(chars);
    }

    @Override
    public void handshakeRejected(String reason) {
        rejected.computeIfAbsent(reason, key -> registry.counter("multiwebsocket.handshakes.rejected",
                new Tag("reason", reason))).inc();
    }
}
