package org.multiwebsocket.client;

/**
 * The keys of {@link MultiWebsocketClient#config()}. Values may be given as numbers, booleans or
 * strings. They are read once, by {@link MultiWebsocketClient#connect()}: set them before.
 */
public final class ClientOptions {

    /** Required: the URL of the gateway's discovery resource, e.g. {@code http://localhost:8080/api/discover}. */
    public static final String SERVICE_DISCOVERY_URL = "service-discovery-url";
    /** Default deadline of a call in milliseconds; default: discovery's {@code callTimeoutMs}. */
    public static final String CALL_TIMEOUT_MS = "call-timeout-ms";
    /** Calls held while the client connects or reconnects, or past the gateway's in-flight limit; default 10000. Past it a call fails at once. */
    public static final String MAX_QUEUED_CALLS = "max-queued-calls";
    /** Whether calls may go over the HTTP transport when no gateway socket can be opened; default true. */
    public static final String HTTP_FALLBACK = "http-fallback";
    /** A bearer token sent as {@code Authorization: Bearer …} on discovery, the socket handshake and HTTP calls. */
    public static final String BEARER_TOKEN = "bearer-token";
    /** Interval of the client's pings in milliseconds; default: discovery's {@code heartbeatMs}; 0 turns them off. */
    public static final String HEARTBEAT_MS = "heartbeat-ms";
    /** First reconnection delay in milliseconds; it doubles per failed attempt, with jitter; default 250. */
    public static final String RECONNECT_INITIAL_DELAY_MS = "reconnect-initial-delay-ms";
    /** Longest reconnection delay in milliseconds; default 10000. */
    public static final String RECONNECT_MAX_DELAY_MS = "reconnect-max-delay-ms";
    /**
     * How long a socket must have stayed up for its loss to reset the reconnection delay to its first
     * value, in milliseconds; default 5000. A gateway that accepts and at once closes (draining, at a
     * limit) thus sees the delay grow instead of a reconnection storm.
     */
    public static final String RECONNECT_RESET_AFTER_MS = "reconnect-reset-after-ms";
    /**
     * Timeout of discovery requests, of HTTP calls' connection, and of the gateway's answer to {@code rpc.session}
     * on a new socket, in milliseconds; default 10000.
     */
    public static final String CONNECT_TIMEOUT_MS = "connect-timeout-ms";
    /**
     * Whether the client opens a session (PROTOCOL.md section 10) on every socket, so that calls in flight,
     * stream items and topic messages survive a dropped connection; default true. Used only where discovery
     * announces sessions ({@code limits.sessionTtlMs}); false: a dropped socket fails the calls in flight
     * with {@link ConnectionLostException}, as without sessions.
     */
    public static final String SESSIONS = "sessions";

    private ClientOptions() {
    }
}
