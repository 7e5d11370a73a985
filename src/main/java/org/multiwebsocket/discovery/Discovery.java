package org.multiwebsocket.discovery;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.multiwebsocket.gateway.GatewayConfig;
import org.multiwebsocket.gateway.GatewayEndpoint;
import org.multiwebsocket.gateway.ServiceRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the discovery document; everything but the URLs is worked out once at startup. */
@ApplicationScoped
public class Discovery {

    /** Path of the gateway socket below the context root. */
    public static final String GATEWAY_PATH = "/gateway";
    /** Path of the HTTP transport below the context root. */
    public static final String HTTP_PATH = "/api/rpc";

    private static final List<String> TRANSPORTS = List.of("websocket", "http");

    @Inject
    GatewayConfig config;
    @Inject
    ServiceRegistry services;

    private Map<String, DiscoveryDocument.ServiceInfo> serviceInfos;
    private DiscoveryDocument.Limits limits;

    @PostConstruct
    void prepare() {
        Map<String, DiscoveryDocument.ServiceInfo> infos = new LinkedHashMap<>();
        services.listings().forEach((name, listing) -> infos.put(name, new DiscoveryDocument.ServiceInfo(
                TRANSPORTS, listing.description(), listing.roles().isEmpty() ? null : listing.roles())));
        serviceInfos = infos;
        limits = new DiscoveryDocument.Limits(config.maxMessageBytes(), config.maxBatch(), config.maxInFlight(),
                config.callTimeoutMs(), config.heartbeatMs());
    }

    /**
     * @param origin where the client reached this node
     * @return the document for that client
     */
    public DiscoveryDocument document(Origin origin) {
        List<String> gateways = config.gatewayUrls().isEmpty()
                ? List.of(origin.webSocketBase() + GATEWAY_PATH)
                : config.gatewayUrls().stream().map(origin::webSocketUrl).toList();
        String http = config.httpUrl().map(origin::httpUrl).orElse(origin.httpBase() + HTTP_PATH);
        return new DiscoveryDocument(GatewayEndpoint.SUBPROTOCOL, gateways.get(0), gateways, http, serviceInfos, limits);
    }
}
