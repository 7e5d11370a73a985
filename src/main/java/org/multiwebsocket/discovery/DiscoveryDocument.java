package org.multiwebsocket.discovery;

import jakarta.json.JsonObject;
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
 * @param openrpc  the URL of the OpenRPC document of everything the gateway serves
 * @param services the services by canonical name
 * @param topics   the declared topics by name ({@code prices/*} for a prefix), or null when there are none
 * @param limits   the limits the gateway enforces
 */
@JsonbPropertyOrder({"protocol", "gateway", "gateways", "http", "openrpc", "services", "topics", "limits"})
public record DiscoveryDocument(String protocol, String gateway, List<String> gateways, String http, String openrpc,
                                Map<String, ServiceInfo> services, Map<String, TopicInfo> topics, Limits limits) {

    /**
     * One service as a client needs to know it.
     *
     * @param transports the transports that reach it
     * @param description its one-line description
     * @param roles       roles it requires, or null when it requires none
     * @param stream      true for a service that answers with a stream of items, null otherwise
     * @param upstream    the upstream webservice it belongs to, null for a bean service
     * @param params      the JSON Schema of its params, when published
     */
    @JsonbPropertyOrder({"transports", "description", "roles", "stream", "upstream", "params"})
    public record ServiceInfo(List<String> transports, String description, List<String> roles, Boolean stream,
                              String upstream, JsonObject params) {
    }

    /**
     * One topic as a subscriber needs to know it.
     *
     * @param description its one-line description
     * @param history     how many past messages it keeps
     * @param roles       roles a subscriber needs, or null when it needs none
     */
    @JsonbPropertyOrder({"description", "history", "roles"})
    public record TopicInfo(String description, int history, List<String> roles) {
    }

    /**
     * The limits the gateway enforces.
     *
     * @param maxMessageBytes largest frame in bytes
     * @param maxBatch        largest batch
     * @param maxInFlight     calls in flight per connection
     * @param callTimeoutMs   a call's deadline
     * @param heartbeatMs     interval of the gateway's pings (0: none)
     * @param streamWindow    items of one stream sent ahead of the client's reading
     * @param maxSubscriptions topics one connection may subscribe to
     * @param sessionTtlMs     how long a session without a socket may be resumed
     * @param sessionBufferBytes unacknowledged messages one session keeps
     */
    @JsonbPropertyOrder({"maxMessageBytes", "maxBatch", "maxInFlight", "callTimeoutMs", "heartbeatMs", "streamWindow",
            "maxSubscriptions", "sessionTtlMs", "sessionBufferBytes"})
    public record Limits(int maxMessageBytes, int maxBatch, int maxInFlight, long callTimeoutMs, long heartbeatMs,
                         int streamWindow, int maxSubscriptions, long sessionTtlMs, int sessionBufferBytes) {
    }
}
