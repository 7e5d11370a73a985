package org.multiwebsocket.upstream;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The configuration of upstream webservices (PROTOCOL.md section 11): every key is a constant here, read
 * through MicroProfile Config like the gateway's own ({@code org.multiwebsocket.config.GatewayConfig}); the
 * README lists them with their defaults. Per-upstream keys are {@code multiwebsocket.upstream.<name>.<key>}.
 */
public final class UpstreamConfig {

    /** The upstreams' names, comma-separated; none by default. */
    public static final String UPSTREAMS = "multiwebsocket.upstreams";
    /** Prefix of every per-upstream key: {@code multiwebsocket.upstream.<name>.}. */
    public static final String PREFIX = "multiwebsocket.upstream.";
    /** Base URL of an upstream's operations (the document's paths are appended); default: the document's first server, on the document's own host. */
    public static final String URL = "url";
    /**
     * The OpenAPI 3 document, required: an http(s) URL; a {@code file:} URL; with {@link #URL} set, a reference
     * resolved against the base URL ({@code /openapi}: the upstream server's root); without it, a file path.
     */
    public static final String OPENAPI = "openapi";
    /** Only these operations, comma-separated: operationIds, or {@code tag:<tag>}; default all. */
    public static final String INCLUDE = "include";
    /** Not these operations, comma-separated like {@link #INCLUDE}; default none. */
    public static final String EXCLUDE = "exclude";
    /** Roles of which a caller needs one, comma-separated; default none (anyone may call). */
    public static final String ROLES = "roles";
    /** Milliseconds an upstream request may take, response body included; default the gateway's call-timeout-ms. */
    public static final String TIMEOUT_MS = "timeout-ms";
    /** Requests in flight to the upstream at once; past it calls answer -32004. Default 64. */
    public static final String MAX_CONCURRENT = "max-concurrent";
    /** Whether the caller's bearer token is sent on as {@code Authorization}; default false. */
    public static final String FORWARD_AUTHORIZATION = "forward-authorization";
    /** Names of static headers sent with every request, comma-separated; each value is {@code header.<Name>}. */
    public static final String HEADERS = "headers";
    /** Prefix of a static header's value: {@code multiwebsocket.upstream.<name>.header.X-Api-Key}. Never logged. */
    public static final String HEADER = "header.";
    /** Failures in a row (unreachable, timeout, 5xx) that open the circuit; default 5. */
    public static final String FAILURE_THRESHOLD = "failure-threshold";
    /** Milliseconds the circuit stays open before a trial call; default 10000. */
    public static final String OPEN_MS = "open-ms";
    /** Whether readiness is DOWN while the upstream's document is not loaded; default false. */
    public static final String REQUIRED = "required";

    /** Milliseconds between reloads of every loaded document; 0 turns reloading off. Default 60000. */
    public static final String RELOAD_MS = "multiwebsocket.upstream-reload-ms";
    /** Longest delay between attempts to load a document that has not loaded yet (the delay doubles from 1 s); default 30000. */
    public static final String RETRY_MAX_MS = "multiwebsocket.upstream-retry-max-ms";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private UpstreamConfig() {
    }

    /**
     * One upstream as configured.
     *
     * @param name                 its name, the first segment of its services' names
     * @param url                  the base URL, or null to derive it from the document
     * @param openapi              where the document is
     * @param include              operationIds and {@code tag:} entries to publish, empty for all
     * @param exclude              operationIds and {@code tag:} entries not to publish
     * @param roles                roles of which a caller needs one, empty for anyone
     * @param timeoutMs            how long a request may take
     * @param maxConcurrent        requests in flight at once
     * @param forwardAuthorization whether the caller's bearer token is sent on
     * @param headers              static headers by name (values never logged)
     * @param failureThreshold     failures in a row that open the circuit
     * @param openMs               how long the circuit stays open
     * @param required             whether readiness depends on it
     */
    public record Settings(String name, URI url, String openapi, Set<String> include, Set<String> exclude,
                           Set<String> roles, long timeoutMs, int maxConcurrent, boolean forwardAuthorization,
                           Map<String, String> headers, int failureThreshold, long openMs, boolean required) {

        @Override
        public String toString() {
            return "Upstream[" + name + " " + (url == null ? "(url from document)" : url) + " openapi=" + openapi
                    + " headers=" + headers.keySet() + "]";
        }
    }

    /**
     * The whole upstream configuration.
     *
     * @param upstreams  the upstreams in configured order
     * @param reloadMs   milliseconds between reloads, 0 for none
     * @param retryMaxMs longest delay between attempts to load a missing document
     */
    public record All(List<Settings> upstreams, long reloadMs, long retryMaxMs) {
    }

    /**
     * Reads the configuration.
     *
     * @param lookup           a key's value, if set (the gateway's {@code GatewayConfig::value})
     * @param defaultTimeoutMs the default request timeout (the gateway's call timeout)
     * @return the upstreams
     * @throws IllegalStateException listing every problem with the keys
     */
    public static All read(Function<String, Optional<String>> lookup, long defaultTimeoutMs) {
        List<String> problems = new ArrayList<>();
        Reader reader = new Reader(lookup, problems);
        List<Settings> upstreams = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String name : reader.list(UPSTREAMS)) {
            if (!NAME.matcher(name).matches()) {
                problems.add(UPSTREAMS + ": '" + name + "' is not a valid upstream name (letters, digits, '-', '_')");
                continue;
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                problems.add(UPSTREAMS + ": '" + name + "' is listed twice");
                continue;
            }
            upstreams.add(reader.upstream(name, defaultTimeoutMs));
        }
        long reloadMs = reader.number(RELOAD_MS, 60_000, 0);
        long retryMaxMs = reader.number(RETRY_MAX_MS, 30_000, 1);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("MultiWebsocket cannot start: " + problems.size()
                    + " problem(s) with the upstream configuration:\n  - " + String.join("\n  - ", problems));
        }
        return new All(List.copyOf(upstreams), reloadMs, retryMaxMs);
    }

    /** Reads keys, collecting problems instead of failing at the first. */
    private record Reader(Function<String, Optional<String>> lookup, List<String> problems) {

        Settings upstream(String name, long defaultTimeoutMs) {
            String prefix = PREFIX + name + ".";
            URI url = lookup.apply(prefix + URL).map(value -> baseUrl(prefix + URL, value)).orElse(null);
            String openapi = lookup.apply(prefix + OPENAPI).orElse(null);
            if (openapi == null) {
                problems.add(prefix + OPENAPI + " is not set: name the upstream's OpenAPI document (a URL or a file)");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header : list(prefix + HEADERS)) {
                if (!HEADER_NAME.matcher(header).matches()) {
                    problems.add(prefix + HEADERS + ": '" + header + "' is not a valid header name");
                    continue;
                }
                Optional<String> value = lookup.apply(prefix + HEADER + header);
                if (value.isEmpty()) {
                    problems.add(prefix + HEADER + header + " is not set (named in " + prefix + HEADERS + ")");
                } else if (value.get().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                    problems.add(prefix + HEADER + header + " holds a control character");
                } else {
                    headers.put(header, value.get());
                }
            }
            return new Settings(name, url, openapi, Set.copyOf(list(prefix + INCLUDE)), Set.copyOf(list(prefix + EXCLUDE)),
                    Set.copyOf(new TreeSet<>(list(prefix + ROLES))), number(prefix + TIMEOUT_MS, defaultTimeoutMs, 1),
                    (int) number(prefix + MAX_CONCURRENT, 64, 1), bool(prefix + FORWARD_AUTHORIZATION),
                    Map.copyOf(headers), (int) number(prefix + FAILURE_THRESHOLD, 5, 1), number(prefix + OPEN_MS, 10_000, 1),
                    bool(prefix + REQUIRED));
        }

        private URI baseUrl(String key, String value) {
            try {
                URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
                if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                        && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null
                        && uri.getRawUserInfo() == null) {
                    return uri;
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            problems.add(key + " must be an http(s) URL with a host and without query, fragment or user info, was '"
                    + value + "'");
            return null;
        }

        List<String> list(String key) {
            return lookup.apply(key)
                    .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                    .orElse(List.of());
        }

        boolean bool(String key) {
            Optional<String> raw = lookup.apply(key);
            if (raw.isPresent() && !raw.get().equalsIgnoreCase("true") && !raw.get().equalsIgnoreCase("false")) {
                problems.add(key + " must be true or false, was '" + raw.get() + "'");
                return false;
            }
            return raw.map(Boolean::parseBoolean).orElse(false);
        }

        long number(String key, long defaultValue, long min) {
            Optional<String> raw = lookup.apply(key);
            if (raw.isEmpty()) {
                return defaultValue;
            }
            try {
                long value = Long.parseLong(raw.get());
                if (value >= min) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(key + " must be a whole number of at least " + min + ", was '" + raw.get() + "'");
            return defaultValue;
        }
    }
}
