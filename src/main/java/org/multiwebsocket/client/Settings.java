package org.multiwebsocket.client;


import java.net.URI;
import java.util.Map;

/**
 * The options of {@link ClientOptions}, read once from {@code config()} when the client connects;
 * numbers may come as numbers or strings, booleans as booleans or strings.
 */
record Settings(URI discovery, long callTimeoutMs, int maxQueuedCalls, boolean httpFallback, String bearerToken,
                long heartbeatMs, long reconnectInitialMs, long reconnectMaxMs, long reconnectResetAfterMs,
                long connectTimeoutMs, boolean sessions) {

    /** The value of {@link #callTimeoutMs} and {@link #heartbeatMs} when discovery's applies. */
    static final long DISCOVERED = -1;

    /** @throws IllegalStateException naming the option that is missing or wrong */
    static Settings from(Map<String, Object> config) {
        Object url = config.get(ClientOptions.SERVICE_DISCOVERY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalStateException("config \"" + ClientOptions.SERVICE_DISCOVERY_URL + "\" is not set");
        }
        Object token = config.get(ClientOptions.BEARER_TOKEN);
        Object fallback = config.get(ClientOptions.HTTP_FALLBACK);
        Object sessions = config.get(ClientOptions.SESSIONS);
        return new Settings(URI.create(url.toString().trim()),
                number(config, ClientOptions.CALL_TIMEOUT_MS, DISCOVERED, 1),
                maxQueuedCalls(config),
                flag(fallback),
                token == null || token.toString().isBlank() ? null : token.toString().trim(),
                number(config, ClientOptions.HEARTBEAT_MS, DISCOVERED, 0),
                number(config, ClientOptions.RECONNECT_INITIAL_DELAY_MS, 250, 1),
                number(config, ClientOptions.RECONNECT_MAX_DELAY_MS, 10_000, 1),
                number(config, ClientOptions.RECONNECT_RESET_AFTER_MS, 5_000, 0),
                number(config, ClientOptions.CONNECT_TIMEOUT_MS, 10_000, 1),
                flag(sessions));
    }

    /** A boolean option, true unless set to false. */
    private static boolean flag(Object value) {
        return value == null || (value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString().trim()));
    }

    /** @return the call's deadline: its own, else this client's default, else discovery's {@code callTimeoutMs} */
    long timeoutMs(PendingCall<?> call, Discovered known) {
        return call.timeoutMs > 0 ? call.timeoutMs : callTimeoutMs != DISCOVERED ? callTimeoutMs
                : known == null ? 30_000 : known.callTimeoutMs();
    }

    /** The one option calls made before {@code connect()} need. */
    static int maxQueuedCalls(Map<String, Object> config) {
        return (int) Math.min(Integer.MAX_VALUE, number(config, ClientOptions.MAX_QUEUED_CALLS, 10_000, 0));
    }

    private static long number(Map<String, Object> config, String key, long defaultValue, long min) {
        Object value = config.get(key);
        if (value == null) {
            return defaultValue;
        }
        long number;
        try {
            number = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("config \"" + key + "\" must be a whole number, was '" + value + "'");
        }
        if (number < min) {
            throw new IllegalStateException("config \"" + key + "\" must be at least " + min + ", was " + number);
        }
        return number;
    }
}
