package org.multiwebsocket.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.protocol.Request;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gateway's configuration, read once at startup through MicroProfile Config (system properties,
 * environment variables, {@code META-INF/microprofile-config.properties}). Each key is a constant
 * here; the README lists them with their defaults.
 */
@ApplicationScoped
public class GatewayConfig {

    /** Largest text frame (and HTTP body) accepted, in bytes; larger frames close the socket with 1009. */
    public static final String MAX_MESSAGE_BYTES = "multiwebsocket.max-message-bytes";
    /** Largest batch accepted; a larger one is answered with one Invalid Request error. */
    public static final String MAX_BATCH = "multiwebsocket.max-batch";
    /** Calls in flight per connection; past it a call is answered with -32004 Overloaded. */
    public static final String MAX_IN_FLIGHT = "multiwebsocket.max-in-flight";
    /** A call's deadline in milliseconds; past it the call is answered with -32003 and its handler interrupted. */
    public static final String CALL_TIMEOUT_MS = "multiwebsocket.call-timeout-ms";
    /** Interval of the gateway's WebSocket pings and of topic event streams' keep-alive comments in milliseconds; 0 turns both off. */
    public static final String HEARTBEAT_MS = "multiwebsocket.heartbeat-ms";
    /** The {@code retryAfterMs} hint sent with -32004 Overloaded. */
    public static final String RETRY_AFTER_MS = "multiwebsocket.retry-after-ms";
    /** Threads that run handler calls (they block while a synchronous handler runs). */
    public static final String WORKER_THREADS = "multiwebsocket.worker-threads";
    /**
     * Calls this node admits at once, running or waiting for a thread, over every connection and HTTP
     * request; past it a call is answered -32004 (HTTP 503 with {@code Retry-After}).
     */
    public static final String MAX_CALLS = "multiwebsocket.max-calls";
    /**
     * Worker threads one client may hold at once: a WebSocket connection, or every HTTP request from one
     * remote address. Its further calls wait in its own queue, so other clients keep being served.
     */
    public static final String MAX_THREADS_PER_CLIENT = "multiwebsocket.max-threads-per-client";
    /**
     * Comma-separated public WebSocket URLs of the gateways, first choice first; a path starting with
     * {@code /} is resolved against the host the client used. Derived from the request when unset.
     */
    public static final String GATEWAY_URLS = "multiwebsocket.gateway-urls";
    /**
     * This node's own public WebSocket URL (or a path, resolved like the gateway URLs), announced to the
     * cluster: every node's discovery then lists it among the gateways while this node is a member. Not
     * announced when unset; ignored without a cluster.
     */
    public static final String NODE_URL = "multiwebsocket.node-url";
    /** Public URL of the HTTP transport (or a path, resolved like the gateway URLs); derived from the request when unset. */
    public static final String HTTP_URL = "multiwebsocket.http-url";
    /** Items of one stream that may be sent and not yet written; the publisher is asked for no more. */
    public static final String STREAM_WINDOW = "multiwebsocket.stream-window";
    /** Topics one connection may subscribe to; past it rpc.subscribe answers -32004. */
    public static final String MAX_SUBSCRIPTIONS = "multiwebsocket.max-subscriptions";
    /**
     * How long a session whose socket is gone may be resumed, in milliseconds (PROTOCOL.md section 10);
     * its calls keep running meanwhile and their answers are kept.
     */
    public static final String SESSION_TTL_MS = "multiwebsocket.session-ttl-ms";
    /**
     * Characters of messages one session keeps until the client acknowledges them; past it the session
     * can no longer be resumed (-32007) and, without a socket, ends.
     */
    public static final String SESSION_BUFFER_BYTES = "multiwebsocket.session-buffer-bytes";
    /**
     * In a cluster, messages the grid keeps of one session (its ringbuffer's capacity): past it, unacknowledged
     * messages are lost and a resume answers -32007. One node keeps sessions in memory, bounded only by
     * {@link #SESSION_BUFFER_BYTES}.
     */
    public static final String SESSION_BUFFER_MESSAGES = "multiwebsocket.session-buffer-messages";
    /** Sessions one remote address may hold on this node, with or without a socket; past it rpc.session answers -32004. */
    public static final String MAX_SESSIONS_PER_ADDRESS = "multiwebsocket.max-sessions-per-address";
    /** Sessions this node holds at once, with or without a socket; past it rpc.session answers -32004. */
    public static final String MAX_SESSIONS = "multiwebsocket.max-sessions";
    /** Comma-separated origins (scheme://host[:port]) allowed beside same-origin pages; {@code *} allows any. */
    public static final String ALLOWED_ORIGINS = "multiwebsocket.allowed-origins";
    /**
     * Comma-separated IP addresses or CIDR ranges of reverse proxies whose {@code Forwarded},
     * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} headers are honoured; from anyone else they
     * are ignored. None by default.
     */
    public static final String TRUSTED_PROXIES = "multiwebsocket.trusted-proxies";
    /**
     * Comma-separated host names (optionally {@code name:port}) that requests may address the gateway by;
     * {@code *} allows any. Default: {@code localhost}, {@code 127.0.0.1}, {@code [::1]} and the hosts of
     * the configured gateway, HTTP and node URLs. Requests for other hosts are refused with 400.
     */
    public static final String ALLOWED_HOSTS = "multiwebsocket.allowed-hosts";
    /** Whether handshakes and HTTP calls without an {@code Origin} header (non-browser clients) pass. */
    public static final String ALLOW_MISSING_ORIGIN = "multiwebsocket.allow-missing-origin";
    /** Open connections this node accepts; past it handshakes are refused (503) or closed with 1013. */
    public static final String MAX_CONNECTIONS = "multiwebsocket.max-connections";
    /** Open connections accepted from one remote address. */
    public static final String MAX_CONNECTIONS_PER_ADDRESS = "multiwebsocket.max-connections-per-address";
    /** Bytes of answers queued for one connection; a client that stops reading is closed (1008) past it. */
    public static final String MAX_OUTBOUND_BYTES = "multiwebsocket.max-outbound-bytes";
    /** How long calls in flight may finish when the gateway shuts down, before every socket closes with 1001. */
    public static final String SHUTDOWN_GRACE_MS = "multiwebsocket.shutdown-grace-ms";
    /** The {@code iss} a JWT must carry; any when unset. */
    public static final String JWT_ISSUER = "multiwebsocket.jwt.issuer";
    /** An {@code aud} a JWT must carry; any when unset. */
    public static final String JWT_AUDIENCE = "multiwebsocket.jwt.audience";
    /** The HS256 shared secret (at least 32 bytes); HS256 tokens are refused when unset. */
    public static final String JWT_HS256_SECRET = "multiwebsocket.jwt.hs256-secret";
    /** The RS256 public key, PEM or base64 DER (X.509 SubjectPublicKeyInfo); RS256 tokens are refused when unset. */
    public static final String JWT_RS256_PUBLIC_KEY = "multiwebsocket.jwt.rs256-public-key";
    /** Clock skew tolerated on {@code exp} and {@code nbf}, in seconds. */
    public static final String JWT_CLOCK_SKEW_SECONDS = "multiwebsocket.jwt.clock-skew-seconds";

    private int maxMessageBytes;
    private int maxBatch;
    private int maxInFlight;
    private long callTimeoutMs;
    private long heartbeatMs;
    private long retryAfterMs;
    private int workerThreads;
    private int maxCalls;
    private int maxThreadsPerClient;
    private int streamWindow;
    private int maxSubscriptions;
    private long sessionTtlMs;
    private int sessionBufferBytes;
    private int maxSessions;
    private int sessionBufferMessages;
    private int maxSessionsPerAddress;
    private List<String> gatewayUrls;
    private Optional<String> httpUrl;
    private Optional<String> nodeUrl;
    private List<String> allowedOrigins;
    private boolean allowMissingOrigin;
    private List<String> trustedProxies;
    private List<String> allowedHosts;
    private int maxConnections;
    private int maxConnectionsPerAddress;
    private int maxOutboundBytes;
    private long shutdownGraceMs;

    private Function<String, Optional<String>> source;

    @PostConstruct
    void read() {
        read(Settings::lookup);
    }

    /**
     * A configuration from given values, with the defaults for the rest: for tests of the dispatch
     * core outside a container.
     *
     * @param values values by key
     * @return the configuration
     */
    public static GatewayConfig of(Map<String, String> values) {
        GatewayConfig config = new GatewayConfig();
        config.read(key -> Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty()));
        return config;
    }

    private void read(Function<String, Optional<String>> lookup) {
        source = lookup;
        maxMessageBytes = positiveInt(MAX_MESSAGE_BYTES, 65_536);
        maxBatch = positiveInt(MAX_BATCH, 100);
        maxInFlight = positiveInt(MAX_IN_FLIGHT, 256);
        callTimeoutMs = positiveInt(CALL_TIMEOUT_MS, 30_000);
        heartbeatMs = nonNegativeInt(HEARTBEAT_MS, 25_000);
        retryAfterMs = nonNegativeInt(RETRY_AFTER_MS, 250);
        workerThreads = positiveInt(WORKER_THREADS, 64);
        maxCalls = positiveInt(MAX_CALLS, 4_096);
        streamWindow = positiveInt(STREAM_WINDOW, 64);
        maxSubscriptions = positiveInt(MAX_SUBSCRIPTIONS, 100);
        sessionTtlMs = positiveInt(SESSION_TTL_MS, 120_000);
        sessionBufferBytes = positiveInt(SESSION_BUFFER_BYTES, 1 << 19);
        maxSessions = positiveInt(MAX_SESSIONS, 10_000);
        sessionBufferMessages = positiveInt(SESSION_BUFFER_MESSAGES, 512);
        maxSessionsPerAddress = positiveInt(MAX_SESSIONS_PER_ADDRESS, 100);
        maxThreadsPerClient = Math.min(workerThreads, positiveInt(MAX_THREADS_PER_CLIENT, Math.max(1, workerThreads / 4)));
        gatewayUrls = list(GATEWAY_URLS);
        httpUrl = source.apply(HTTP_URL);
        nodeUrl = source.apply(NODE_URL);
        allowedOrigins = list(ALLOWED_ORIGINS);
        trustedProxies = list(TRUSTED_PROXIES);
        allowedHosts = list(ALLOWED_HOSTS);
        allowMissingOrigin = bool(ALLOW_MISSING_ORIGIN, true);
        maxConnections = positiveInt(MAX_CONNECTIONS, 10_000);
        maxConnectionsPerAddress = positiveInt(MAX_CONNECTIONS_PER_ADDRESS, 1_000);
        maxOutboundBytes = positiveInt(MAX_OUTBOUND_BYTES, 1 << 20);
        if (sessionBufferBytes > maxOutboundBytes) {
            throw new IllegalStateException("configuration " + SESSION_BUFFER_BYTES + " (" + sessionBufferBytes
                    + ") must not exceed " + MAX_OUTBOUND_BYTES + " (" + maxOutboundBytes
                    + "): a resume writes every kept message at once");
        }
        shutdownGraceMs = nonNegativeInt(SHUTDOWN_GRACE_MS, 5_000);
    }

    private List<String> list(String key) {
        return source.apply(key)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /**
     * @param key a configuration key
     * @return its value, if set; for the settings of pluggable parts (the default token verifier)
     */
    public static Optional<String> value(String key) {
        return Settings.lookup(key);
    }

    /**
     * A whole number that is not negative, for keys read outside this class.
     *
     * @param key          a configuration key
     * @param defaultValue its value when unset
     * @return its value
     * @throws IllegalStateException naming the key, when its value is not a non-negative whole number
     */
    public static int nonNegative(String key, int defaultValue) {
        GatewayConfig config = new GatewayConfig();
        config.source = Settings::lookup;
        return config.nonNegativeInt(key, defaultValue);
    }

    private boolean bool(String key, boolean defaultValue) {
        Optional<String> raw = source.apply(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        if (!raw.get().equalsIgnoreCase("true") && !raw.get().equalsIgnoreCase("false")) {
            throw new IllegalStateException("configuration " + key + " must be true or false, was '" + raw.get() + "'");
        }
        return Boolean.parseBoolean(raw.get());
    }

    private int positiveInt(String key, int defaultValue) {
        int value = nonNegativeInt(key, defaultValue);
        if (value == 0) {
            throw new IllegalStateException("configuration " + key + " must be positive, was 0");
        }
        return value;
    }

    private int nonNegativeInt(String key, int defaultValue) {
        Optional<String> raw = source.apply(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("configuration " + key + " must be a non-negative whole number, was '"
                    + raw.get() + "'");
        }
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public long callTimeoutMs() {
        return callTimeoutMs;
    }

    public long heartbeatMs() {
        return heartbeatMs;
    }

    public long retryAfterMs() {
        return retryAfterMs;
    }

    public int workerThreads() {
        return workerThreads;
    }

    public int maxCalls() {
        return maxCalls;
    }

    public int maxThreadsPerClient() {
        return maxThreadsPerClient;
    }

    public int streamWindow() {
        return streamWindow;
    }

    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /** @return {@link #SESSION_TTL_MS} */
    public long sessionTtlMs() {
        return sessionTtlMs;
    }

    /** @return {@link #SESSION_BUFFER_BYTES} */
    public int sessionBufferBytes() {
        return sessionBufferBytes;
    }

    /** @return {@link #SESSION_BUFFER_MESSAGES} */
    public int sessionBufferMessages() {
        return sessionBufferMessages;
    }

    /** @return {@link #MAX_SESSIONS_PER_ADDRESS} */
    public int maxSessionsPerAddress() {
        return maxSessionsPerAddress;
    }

    /** @return {@link #MAX_SESSIONS} */
    public int maxSessions() {
        return maxSessions;
    }

    /** @return the configured public gateway URLs, empty when they are derived from each request */
    public List<String> gatewayUrls() {
        return gatewayUrls;
    }

    /** @return the configured public HTTP transport URL, empty when derived from each request */
    public Optional<String> httpUrl() {
        return httpUrl;
    }

    /** @return this node's public gateway URL (or path) to announce to the cluster, empty when unset */
    public Optional<String> nodeUrl() {
        return nodeUrl;
    }

    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    public List<String> trustedProxies() {
        return trustedProxies;
    }

    /** @return the configured allowed hosts, empty for the defaults */
    public List<String> allowedHosts() {
        return allowedHosts;
    }

    public boolean allowMissingOrigin() {
        return allowMissingOrigin;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public int maxOutboundBytes() {
        return maxOutboundBytes;
    }

    public long shutdownGraceMs() {
        return shutdownGraceMs;
    }

    /** Reads the configuration as the application starts: a bad value fails the deployment, naming its key. */
    void startup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        hashCode();
    }
}
