package org.multiwebsocket.discovery;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.multiwebsocket.config.GatewayConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a request reached this node, trusting forwarding headers ({@code Forwarded},
 * {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}) only from the configured trusted proxies, and
 * whether its host is one the gateway answers for.
 */
@ApplicationScoped
public class Origins {

    private static final String ATTRIBUTE = Origin.class.getName();

    @Inject
    GatewayConfig config;

    private AddressRanges trustedProxies;
    private AllowedHosts allowedHosts;

    @PostConstruct
    void read() {
        trustedProxies = AddressRanges.parse(config.trustedProxies(), GatewayConfig.TRUSTED_PROXIES);
        List<String> publicUrls = new ArrayList<>(config.gatewayUrls());
        config.httpUrl().ifPresent(publicUrls::add);
        config.nodeUrl().ifPresent(publicUrls::add);
        allowedHosts = new AllowedHosts(config.allowedHosts(), publicUrls);
    }

    /**
     * Origins outside a container, for tests.
     *
     * @param config the configuration
     * @return them, configured
     */
    public static Origins of(GatewayConfig config) {
        Origins origins = new Origins();
        origins.config = config;
        origins.read();
        return origins;
    }

    /**
     * @param request an HTTP request (a WebSocket handshake too)
     * @return where its client reached this node; worked out once per request
     */
    public Origin of(HttpServletRequest request) {
        Object known = request.getAttribute(ATTRIBUTE);
        if (known instanceof Origin origin) {
            return origin;
        }
        Map<String, List<String>> headers = Map.of();
        if (trustedProxies.contains(request.getRemoteAddr())) {
            headers = new LinkedHashMap<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                headers.put(name, Collections.list(request.getHeaders(name)));
            }
        }
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        Origin origin = Origin.of(request.getScheme(), host, request.getContextPath(), headers);
        request.setAttribute(ATTRIBUTE, origin);
        return origin;
    }

    /**
     * @param request an HTTP request
     * @return the client's address: the one a trusted proxy reports (the last {@code X-Forwarded-For}
     *         entry, which that proxy added), otherwise the connection's remote address
     */
    public String clientAddress(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        if (!trustedProxies.contains(remote)) {
            return remote;
        }
        String forwardedFor = null;
        for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
            forwardedFor = header;
        }
        if (forwardedFor == null) {
            return remote;
        }
        String last = forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1).trim();
        return last.isEmpty() || last.length() > 64 ? remote : last;
    }

    /**
     * Where a request reached this node when its remote address is unknown (a WebSocket handshake that
     * bypassed the servlet filters): forwarding headers are not trusted.
     *
     * @param scheme      the request's scheme
     * @param host        its {@code Host}
     * @param contextPath the context path
     * @return the origin
     */
    public Origin untrusted(String scheme, String host, String contextPath) {
        return Origin.of(scheme, host, contextPath, Map.of());
    }

    /** @return whether the gateway answers requests addressed to the origin's host */
    public boolean allowsHost(Origin origin) {
        return allowedHosts.allows(origin.host());
    }

    /** Reads the configuration as the application starts: a bad value fails the deployment, naming its key. */
    void startup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        hashCode();
    }
}
