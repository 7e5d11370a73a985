package org.multiwebsocket.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.multiwebsocket.config.Unproxied;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.spi.GatewayEvents;

import java.util.logging.Level;

/**
 * One log line per failed call (never a payload), and the metrics events. Malformed input (-32700,
 * -32600, -32601) is logged at FINE; every other failure at INFO, at most 20 lines a second (a
 * {@link ClientLog}), with ids clipped. Unexpected handler failures are logged once, at WARNING, with
 * their error id, by the dispatcher.
 */
@ApplicationScoped
public class Telemetry implements Unproxied<Telemetry> {

    static final String UNKNOWN_SERVICE = "(unknown)";
    private static final ClientLog CALLS = new ClientLog("org.multiwebsocket.calls", 20);

    private final GatewayEvents events;

    /** For CDI proxies only. */
    protected Telemetry() {
        this.events = GatewayEvents.NONE;
    }

    /** @param implementations the metrics implementation, where the server has one */
    @Inject
    public Telemetry(Instance<GatewayEvents> implementations) {
        this(implementations.isResolvable() ? implementations.get() : GatewayEvents.NONE);
    }

    /** @param events where metrics events go */
    public Telemetry(GatewayEvents events) {
        this.events = events;
    }

    /** Comes to life with the application, so that the metrics exist before the first call. */
    void startup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        events.hashCode();
    }

    /** @return where metrics events go */
    public GatewayEvents events() {
        return events;
    }

    void callFinished(Channel channel, Object id, String service, int code, String message, long startNanos) {
        if (!channel.counted()) {
            return;
        }
        long nanos = System.nanoTime() - startNanos;
        events.callFinished(service, code, nanos);
        if (code == 0 || code == RpcError.INTERNAL_ERROR) {
            return;
        }
        Level level = code == RpcError.PARSE_ERROR || code == RpcError.INVALID_REQUEST || code == RpcError.METHOD_NOT_FOUND
                ? Level.FINE : Level.INFO;
        CALLS.log(level, () -> "call " + ClientLog.clip(id) + " to " + ClientLog.clip(service) + " on "
                + channel.transport() + " connection " + channel.id() + " failed: " + code + " " + message
                + " after " + nanos / 1_000_000 + " ms"
                + (channel.traceparent() == null ? "" : " traceparent=" + channel.traceparent()));
    }
}
