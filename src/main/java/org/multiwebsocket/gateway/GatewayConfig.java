package org.multiwebsocket.gateway;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
    /** Interval of the gateway's WebSocket pings in milliseconds; 0 turns the heartbeat off. */
    public static final String HEARTBEAT_MS = "multiwebsocket.heartbeat-ms";
    /** The {@code retryAfterMs} hint sent with -32004 Overloaded. */
    public static final String RETRY_AFTER_MS = "multiwebsocket.retry-after-ms";
    /** Threads that run handler calls (they block while a synchronous handler runs). */
    public static final String WORKER_THREADS = "multiwebsocket.worker-threads";
    /** Comma-separated public WebSocket URLs of the gateways, first choice first; derived from the request when unset. */
    public static final String GATEWAY_URLS = "multiwebsocket.gateway-urls";
    /** Public URL of the HTTP transport; derived from the request when unset. */
    public static final String HTTP_URL = "multiwebsocket.http-url";

    private int maxMessageBytes;
    private int maxBatch;
    private int maxInFlight;
    private long callTimeoutMs;
    private long heartbeatMs;
    private long retryAfterMs;
    private int workerThreads;
    private List<String> gatewayUrls;
    private Optional<String> httpUrl;

    @PostConstruct
    void read() {
        maxMessageBytes = positiveInt(MAX_MESSAGE_BYTES, 65_536);
        maxBatch = positiveInt(MAX_BATCH, 100);
        maxInFlight = positiveInt(MAX_IN_FLIGHT, 256);
        callTimeoutMs = positiveInt(CALL_TIMEOUT_MS, 30_000);
        heartbeatMs = nonNegativeInt(HEARTBEAT_MS, 25_000);
        retryAfterMs = nonNegativeInt(RETRY_AFTER_MS, 250);
        workerThreads = positiveInt(WORKER_THREADS, 64);
        gatewayUrls = Settings.lookup(GATEWAY_URLS)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        httpUrl = Settings.lookup(HTTP_URL);
    }

    private static int positiveInt(String key, int defaultValue) {
        int value = nonNegativeInt(key, defaultValue);
        if (value == 0) {
            throw new IllegalStateException("configuration " + key + " must be positive, was 0");
        }
        return value;
    }

    private static int nonNegativeInt(String key, int defaultValue) {
        Optional<String> raw = Settings.lookup(key);
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

    /** @return the configured public gateway URLs, empty when they are derived from each request */
    public List<String> gatewayUrls() {
        return gatewayUrls;
    }

    /** @return the configured public HTTP transport URL, empty when derived from each request */
    public Optional<String> httpUrl() {
        return httpUrl;
    }
}
