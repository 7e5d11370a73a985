package org.multiwebsocket.discovery;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a client reached this node, as the client saw it: scheme, host (with port) and context path.
 * Built from the request, honouring {@code Forwarded}, {@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Host} set by a reverse proxy.
 *
 * @param secure      whether the client used https / wss
 * @param host        host and optional port, as in the {@code Host} header
 * @param contextPath the application's context path, empty for the root
 */
public record Origin(boolean secure, String host, String contextPath) {

    /**
     * @param scheme      the scheme the request arrived with ({@code http}, {@code https}, {@code ws}, {@code wss})
     * @param host        the {@code Host} header or the server's name and port
     * @param contextPath the context path
     * @param headers     the request headers, names in any case
     * @return the origin the client saw
     */
    public static Origin of(String scheme, String host, String contextPath, Map<String, List<String>> headers) {
        boolean secure = "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme);
        String forwarded = first(headers, "forwarded");
        String proto = null;
        String forwardedHost = null;
        if (forwarded != null) {
            String firstHop = forwarded.split(",", 2)[0];
            for (String pair : firstHop.split(";")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2) {
                    String key = kv[0].trim().toLowerCase(Locale.ROOT);
                    String value = unquote(kv[1].trim());
                    if (key.equals("proto")) {
                        proto = value;
                    } else if (key.equals("host")) {
                        forwardedHost = value;
                    }
                }
            }
        }
        if (proto == null) {
            proto = firstOfList(first(headers, "x-forwarded-proto"));
        }
        if (forwardedHost == null) {
            forwardedHost = firstOfList(first(headers, "x-forwarded-host"));
        }
        if (proto != null) {
            secure = proto.equalsIgnoreCase("https") || proto.equalsIgnoreCase("wss");
        }
        String effectiveHost = valid(forwardedHost) ? forwardedHost : host;
        return new Origin(secure, effectiveHost, contextPath == null ? "" : contextPath);
    }

    /**
     * @param path an absolute URL, or a path that starts with {@code /} (resolved against the host the
     *             client used, over WebSocket)
     * @return the absolute WebSocket URL
     */
    public String webSocketUrl(String path) {
        return path.startsWith("/") ? (secure ? "wss://" : "ws://") + host + path : path;
    }

    /**
     * @param path an absolute URL, or a path that starts with {@code /} (resolved against the host the
     *             client used, over HTTP)
     * @return the absolute HTTP URL
     */
    public String httpUrl(String path) {
        return path.startsWith("/") ? (secure ? "https://" : "http://") + host + path : path;
    }

    /** @return the base of HTTP URLs: {@code http://host:port/context} */
    public String httpBase() {
        return (secure ? "https://" : "http://") + host + contextPath;
    }

    /** @return the base of WebSocket URLs: {@code ws://host:port/context} */
    public String webSocketBase() {
        return (secure ? "wss://" : "ws://") + host + contextPath;
    }

    private static boolean valid(String host) {
        return host != null && !host.isEmpty() && host.length() <= 255 && host.matches("[A-Za-z0-9.\\-:\\[\\]_]+");
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    private static String firstOfList(String value) {
        if (value == null) {
            return null;
        }
        String first = value.split(",", 2)[0].trim();
        return first.isEmpty() ? null : first;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
