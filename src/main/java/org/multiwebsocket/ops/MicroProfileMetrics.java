package org.multiwebsocket.ops;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.multiwebsocket.gateway.Gateway;
import org.multiwebsocket.spi.GatewayEvents;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's metrics in the application registry of MicroProfile Metrics (served at
 * {@code /metrics}): open connections, calls by service and outcome, call duration by service,
 * characters received and sent, refused handshakes by reason. Counters are looked up once per tag
 * combination and kept, so a call costs a map lookup and an increment. On a server without
 * MicroProfile Metrics this bean cannot load and the gateway records nothing.
 */
@ApplicationScoped
public class MicroProfileMetrics implements GatewayEvents {

    @Inject
    MetricRegistry registry;
    @Inject
    Gateway gateway;

    private final Map<String, Map<Integer, Counter>> calls = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private Counter received;
    private Counter sent;

    @PostConstruct
    void register() {
        Gateway connections = gateway;
        registry.gauge("multiwebsocket.connections.open", connections, Gateway::openConnections);
        received = registry.counter("multiwebsocket.received.chars");
        sent = registry.counter("multiwebsocket.sent.chars");
    }

    @Override
    public void callFinished(String service, int code, long nanos) {
        calls.computeIfAbsent(service, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(code, key -> registry.counter("multiwebsocket.calls",
                        new Tag("service", service), new Tag("outcome", code == 0 ? "ok" : Integer.toString(code)))).inc();
        durations.computeIfAbsent(service, key -> registry.timer("multiwebsocket.call.duration",
                new Tag("service", service))).update(Duration.ofNanos(nanos));
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
