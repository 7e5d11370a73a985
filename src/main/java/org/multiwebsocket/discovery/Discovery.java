package org.multiwebsocket.discovery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.config.Unproxied;
import org.multiwebsocket.protocol.Protocol;
import org.multiwebsocket.registry.ServiceRegistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the discovery document; everything but the URLs is worked out once at startup. The gateways
 * are the configured ones, then those the cluster's nodes announce ({@link NodeDirectory}).
 */
@ApplicationScoped
public class Discovery implements Unproxied<Discovery> {

    private static final List<String> TRANSPORTS = List.of("websocket", "http");

    private final GatewayConfig config;
    private final ServiceRegistry services;
    private volatile Services listed = new Services(-1, Map.of());
    private final Map<String, DiscoveryDocument.TopicInfo> topicInfos;
    private final DiscoveryDocument.Limits limits;
    private volatile NodeDirectory directory;

    /** For CDI proxies only. */
    protected Discovery() {
        this.config = null;
        this.services = null;
        this.topicInfos = null;
        this.limits = null;
    }

    /**
     * @param config   the gateway's configuration
     * @param services the deployed services
     */
    @Inject
    public Discovery(GatewayConfig config, ServiceRegistry services) {
        this.config = config;
        this.services = services.unproxied().get();
        Map<String, DiscoveryDocument.TopicInfo> topicInfos = new LinkedHashMap<>();
        services.topics().forEach((name, topic) -> topicInfos.put(name, new DiscoveryDocument.TopicInfo(topic.description(),
                topic.history(), topic.access().isOpen() ? null : List.copyOf(topic.access().roles()))));
        this.topicInfos = topicInfos.isEmpty() ? null : Collections.unmodifiableMap(topicInfos);
        this.limits = new DiscoveryDocument.Limits(config.maxMessageBytes(), config.maxBatch(), config.maxInFlight(),
                config.callTimeoutMs(), config.heartbeatMs(), config.streamWindow(), config.maxSubscriptions(),
                config.sessionTtlMs(), config.sessionBufferBytes());
    }

    /**
     * @param origin where the client reached this node
     * @return the document for that client
     */
    public DiscoveryDocument document(Origin origin) {
        List<String> announced = directory == null ? List.of() : directory.announcedGatewayUrls();
        List<String> gateways = gateways(config.gatewayUrls(), config.nodeUrl(), announced, origin);
        String http = config.httpUrl().map(origin::httpUrl).orElse(origin.httpBase() + Protocol.HTTP_PATH);
        return new DiscoveryDocument(Protocol.SUBPROTOCOL, gateways.get(0), gateways, http,
                origin.httpBase() + Protocol.OPENRPC_PATH, services(), topicInfos, limits);
    }

    /**
     * @param directories the cluster's directory of nodes, when there is one (CDI)
     */
    @Inject
    void directory(Instance<NodeDirectory> directories) {
        this.directory = directories.isResolvable() ? directories.get() : null;
    }

    /**
     * The configured gateways, then the announced ones, each once, resolved for the client. The
     * configured list comes first; without one, this node itself (its node URL, or as the client reached
     * it), so a client's first choice is the node that answered.
     */
    static List<String> gateways(List<String> configured, Optional<String> nodeUrl, List<String> announced,
                                 Origin origin) {
        LinkedHashSet<String> gateways = new LinkedHashSet<>();
        configured.forEach(url -> gateways.add(origin.webSocketUrl(url)));
        if (configured.isEmpty()) {
            gateways.add(nodeUrl.map(origin::webSocketUrl).orElse(origin.webSocketBase() + Protocol.GATEWAY_PATH));
        }
        announced.forEach(url -> gateways.add(origin.webSocketUrl(url)));
        return List.copyOf(new ArrayList<>(gateways));
    }

    /** The services as listed, for one version of the registry. */
    private record Services(long version, Map<String, DiscoveryDocument.ServiceInfo> infos) {
    }

    /** @return the services as discovery lists them, worked out again only when they changed */
    private Map<String, DiscoveryDocument.ServiceInfo> services() {
        Services current = listed;
        long version = services.version();
        if (current.version() != version) {
            Map<String, DiscoveryDocument.ServiceInfo> infos = new LinkedHashMap<>();
            services.listings().forEach((name, listing) -> infos.put(name, new DiscoveryDocument.ServiceInfo(
                    TRANSPORTS, listing.handler().description(), listing.roles(),
                    listing.handler().stream() ? Boolean.TRUE : null, listing.handler().upstream(),
                    listing.handler().params())));
            current = new Services(version, Collections.unmodifiableMap(infos));
            listed = current;
        }
        return current.infos();
    }

    /** @return a number that changes whenever the document's services change (for caches of it) */
    public long version() {
        return services.version();
    }
}
