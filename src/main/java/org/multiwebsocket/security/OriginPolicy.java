package org.multiwebsocket.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.discovery.Origin;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which page origins may open the gateway socket and call discovery and the HTTP transport: same-origin
 * pages (scheme, host and port all equal to where the request reached the node), the configured
 * allow-list, and (unless configured otherwise) clients that send no {@code Origin} at all, which are
 * not browsers.
 */
@ApplicationScoped
public class OriginPolicy {

    @Inject
    GatewayConfig config;

    /**
     * A policy outside a container, for tests.
     *
     * @param config the configuration
     * @return the policy
     */
    public static OriginPolicy of(GatewayConfig config) {
        OriginPolicy policy = new OriginPolicy();
        policy.config = config;
        return policy;
    }

    /**
     * @param originHeader the request's {@code Origin}, or null
     * @param self         where the request reached this node
     * @return whether the origin may proceed
     */
    public boolean allows(String originHeader, Origin self) {
        return allows(originHeader, self, config.allowedOrigins(), config.allowMissingOrigin());
    }

    static boolean allows(String originHeader, Origin self, List<String> allowList, boolean allowMissing) {
        if (originHeader == null || originHeader.isBlank()) {
            return allowMissing;
        }
        String origin = normalise(originHeader);
        for (String allowed : allowList) {
            if (allowed.equals("*") || normalise(allowed).equals(origin)) {
                return true;
            }
        }
        try {
            URI page = new URI(origin);
            if (page.getHost() == null || !(page.getScheme().equals("http") || page.getScheme().equals("https"))) {
                return false;
            }
            URI node = new URI((self.secure() ? "https://" : "http://") + self.host());
            return page.getScheme().equals(node.getScheme()) && page.getHost().equalsIgnoreCase(node.getHost())
                    && port(page) == port(node);
        } catch (Exception malformed) {
            return false;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static String normalise(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
