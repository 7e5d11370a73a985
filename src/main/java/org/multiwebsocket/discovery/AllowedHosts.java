package org.multiwebsocket.discovery;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The host names requests may address this gateway by ({@code Host}, or a trusted proxy's forwarded
 * host): {@code name} allows it on any port, {@code name:port} on that port only, {@code *} any host.
 * A request for any other host is refused, so that a page on a rebound DNS name is never taken for the
 * gateway's own origin and discovery never hands out URLs of a host a client made up.
 */
final class AllowedHosts {

    /** Allowed without configuration: this machine. */
    static final List<String> DEFAULTS = List.of("localhost", "127.0.0.1", "[::1]");

    private final boolean any;
    private final Set<String> entries;

    /**
     * @param configured the configured entries, or empty for the defaults
     * @param publicUrls configured public URLs (gateway and HTTP), whose hosts are allowed too
     */
    AllowedHosts(List<String> configured, List<String> publicUrls) {
        this.any = configured.contains("*");
        Set<String> all = new HashSet<>();
        (configured.isEmpty() ? DEFAULTS : configured).forEach(e -> all.add(e.toLowerCase(Locale.ROOT)));
        for (String url : publicUrls) {
            if (!url.startsWith("/")) {
                try {
                    String host = URI.create(url).getHost();
                    if (host != null) {
                        all.add(host.toLowerCase(Locale.ROOT));
                    }
                } catch (IllegalArgumentException notAUrl) {
                    // checked where the URL is used; here it only adds no host
                }
            }
        }
        this.entries = Set.copyOf(all);
    }

    /** @param hostAndPort a {@code Host} header value: {@code name}, {@code name:port}, {@code [v6]:port} */
    boolean allows(String hostAndPort) {
        if (any) {
            return true;
        }
        if (hostAndPort == null || hostAndPort.isEmpty()) {
            return false;
        }
        String value = hostAndPort.toLowerCase(Locale.ROOT);
        if (entries.contains(value)) {
            return true;
        }
        int colon = value.lastIndexOf(':');
        boolean hasPort = colon > 0 && value.indexOf(']') < colon && (value.startsWith("[") || value.indexOf(':') == colon);
        return hasPort && entries.contains(value.substring(0, colon));
    }
}
