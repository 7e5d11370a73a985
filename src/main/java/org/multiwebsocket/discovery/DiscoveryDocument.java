package org.multiwebsocket.discovery;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * The discovery document: where the gateway is, which services it routes, and its limits. Served at
 * {@code GET /api/discover} and by the socket's built-in {@code rpc.discover}.
 *
 * @param protocol the protocol name, {@code multiwebsocket.v1}
 * @param gateway  the WebSocket URL to use, an absolute {@code ws://} or {@code wss://} URL
 * @param gateways every gateway a client may use, first choice first
 * @param http     the URL of the HTTP transport
 * @param services the services by canonical name
 * @param limits   the limits the gateway enforces
 */
@JsonbPropertyOrder({"protocol", "gateway", "gateways", "http", "services", "limits"})
public record DiscoveryDocument(String protocol, String gateway, List<String> gateways, String http,
                                Map<String, ServiceInfo> services, Limits limits) {

    /**
     * One service as a client needs to know it.
     *
     * @param transports the transports that reach it
     * @param description its one-line description
     * @param roles       roles it requires, or null when it requires none
     */
    @JsonbPropertyOrder({"transports", "description", "roles"})
    public record ServiceInfo(List<String> transports, String description, List<String> roles) {
    }

    /**
     * The limits the gateway enforces.
     *
     * @param maxMessageBytes largest frame in bytes
     * @param maxBatch        largest batch
     * @param maxInFlight     calls in flight per connection
     * @param callTimeoutMs   a call's deadline
     * @param heartbeatMs     interval of the gateway's pings (0: none)
     */
    @JsonbPropertyOrder({"maxMessageBytes", "maxBatch", "maxInFlight", "callTimeoutMs", "heartbeatMs"})
    public record Limits(int maxMessageBytes, int maxBatch, int maxInFlight, long callTimeoutMs, long heartbeatMs) {
    }
}
