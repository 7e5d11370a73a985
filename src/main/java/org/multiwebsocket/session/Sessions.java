package org.multiwebsocket.session;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.dispatch.Admission;
import org.multiwebsocket.dispatch.Channel;
import org.multiwebsocket.dispatch.SessionMethods;
import org.multiwebsocket.dispatch.Workers;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.Request;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.push.TopicHub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.function.Consumer;

/**
 * The sessions of this node (PROTOCOL.md section 10): {@code rpc.session} opens or resumes one,
 * {@code rpc.ack} lets it forget what the client has. A session whose socket is gone lives
 * {@link GatewayConfig#SESSION_TTL_MS}; its kept messages are bounded by
 * {@link GatewayConfig#SESSION_BUFFER_BYTES}, past which it can no longer be resumed.
 */
@ApplicationScoped
public class Sessions implements SessionMethods, Session.Lifecycle {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder TOKENS = Base64.getUrlEncoder().withoutPadding();

    @Inject
    GatewayConfig config;
    @Inject
    Admission admission;
    @Inject
    Workers workers;
    @Inject
    JsonSupport json;
    @Inject
    Instance<SessionStore> stores;
    @Inject
    TopicHub topics;

    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());

    private final Map<String, Session> live = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private int maxPerAddress;
    private long ttlMs;
    private long bufferBytes;
    private int maxSessions;
    private int maxInFlight;
    private SessionStore store;

    @PostConstruct
    void start() {
        admission = admission.unproxied().get();
        workers = workers.unproxied().get();
        json = json.unproxied().get();
        topics = topics.unproxied().get();
        ttlMs = config.sessionTtlMs();
        bufferBytes = config.sessionBufferBytes();
        maxSessions = config.maxSessions();
        maxPerAddress = config.maxSessionsPerAddress();
        maxInFlight = config.maxInFlight();
        store = stores.isResolvable() ? stores.get() : null;
    }

    @Override
    public void session(Channel channel, Request request, Consumer<String> reply) {
        if (request.isNotification()) {
            reply.accept(null);
            return;
        }
        JsonValue id = request.replyId();
        String refusal = channel instanceof Session ? "this connection already has a session"
                : !channel.canPush() ? "sessions need a WebSocket connection"
                : channel.busy() ? "rpc.session must come before any call or subscription on the connection" : null;
        if (refusal != null) {
            reply.accept(error(id, RpcError.invalidRequest(refusal)));
            return;
        }
        JsonObject params = request.params() == null ? JsonValue.EMPTY_JSON_OBJECT
                : request.params() instanceof JsonObject object ? object : null;
        JsonValue resume = params == null ? null : params.get("resume");
        if (params == null || (resume != null && !(resume instanceof JsonObject))) {
            reply.accept(invalidParams(id));
            return;
        }
        try {
            if (resume == null) {
                open(channel, id, reply);
            } else {
                resume(channel, id, (JsonObject) resume, reply);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "rpc.session failed on connection " + channel.id(), e);
            reply.accept(error(id, RpcError.unavailable("sessions are unavailable on this node now")));
        }
    }

    private void open(Channel channel, JsonValue id, Consumer<String> reply) {
        String full = live.size() >= maxSessions ? "the gateway holds its maximum of sessions"
                : !count(channel.address()) ? "this address holds its maximum of sessions (" + maxPerAddress + ")" : null;
        if (full != null) {
            reply.accept(error(id, new RpcError(RpcError.OVERLOADED, "Overloaded",
                    Map.of("reason", full, "retryAfterMs", config.retryAfterMs()))));
            return;
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = TOKENS.encodeToString(secret);
        String sessionId = UUID.randomUUID().toString();
        SessionStore.Stored stored = new SessionStore.Stored(UUID.randomUUID().toString(), hash(token),
                Session.principalOf(channel.caller()), null);
        SessionLog log;
        try {
            log = (store == null ? Optional.<SessionLog>empty() : store.create(sessionId, stored))
                    .orElseGet(() -> new MemorySessionLog(bufferBytes));
        } catch (RuntimeException e) {
            uncount(channel.address());
            throw e;
        }
        Session session = new Session(stored.channelId(), channel, stored.principal(), maxInFlight, admission.newLane(),
                sessionId, stored.tokenHash(), log, topics, this);
        session.countedAddress(channel.address());
        live.put(session.sessionId(), session);
        String refused = session.attach(channel, 0, known -> reply.accept(answer(id, session, token, false, known)));
        if (refused != null) {
            session.end();
            reply.accept(error(id, RpcError.invalidRequest(refused)));
        }
    }

    private void resume(Channel channel, JsonValue id, JsonObject resume, Consumer<String> reply) {
        if (!(resume.get("session") instanceof JsonString sessionId) || !(resume.get("token") instanceof JsonString token)
                || !(resume.getOrDefault("ack", JsonValue.NULL) instanceof JsonNumber ack) || !ack.isIntegral()
                || ack.longValue() < 0) {
            reply.accept(invalidParams(id));
            return;
        }
        boolean[] fresh = {false};
        Session session = live.get(sessionId.getString());
        if (session == null && store != null) {
            session = live.computeIfAbsent(sessionId.getString(), key -> store.find(key).map(stored -> {
                fresh[0] = true;
                return new Session(stored.channelId(), channel, stored.principal(), maxInFlight, admission.newLane(),
                        key, stored.tokenHash(), stored.log(), topics, this);
            }).orElse(null));
        }
        String lost = session == null ? "unknown or expired session"
                : !session.holds(hash(token.getString())) ? "wrong token"
                : !session.belongsTo(channel.caller()) ? "the session belongs to another caller" : null;
        if (lost == null) {
            Session resumed = session;
            lost = resumed.attach(channel, ack.longValue(),
                    known -> reply.accept(answer(id, resumed, token.getString(), true, known)));
        }
        if (lost != null) {
            if (fresh[0]) {
                session.end();
            }
            reply.accept(error(id, new RpcError(RpcError.NOT_RESUMABLE, "Session not resumable", Map.of("reason", lost))));
        } else if (fresh[0]) {
            count(channel.address());
            session.countedAddress(channel.address());
        }
    }

    /** @return whether the address may hold one more session, which is then counted */
    private boolean count(String address) {
        if (address == null) {
            return true;
        }
        AtomicInteger held = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (held.incrementAndGet() > maxPerAddress) {
            uncount(address);
            return false;
        }
        return true;
    }

    private void uncount(String address) {
        if (address != null) {
            perAddress.computeIfPresent(address, (a, held) -> held.decrementAndGet() <= 0 ? null : held);
        }
    }

    @Override
    public String ack(Channel channel, Request request) {
        JsonValue id = request.replyId();
        if (!(channel instanceof Session session)) {
            return error(id, RpcError.invalidRequest("rpc.ack needs a session: send rpc.session first"));
        }
        if (!(request.params() instanceof JsonObject params) || !(params.get("seq") instanceof JsonNumber seq)
                || !seq.isIntegral() || seq.longValue() < 0) {
            return error(id, RpcError.invalidParams(Map.of("reason", "rpc.ack takes {\"seq\": <last seq received>}")));
        }
        session.acknowledge(seq.longValue());
        return JsonRpc.result(id, "true");
    }

    @Override
    public Future<?> detached(Session session) {
        return workers.schedule(session::expire, ttlMs);
    }

    @Override
    public void lost(Session session) {
        if (live.remove(session.sessionId(), session)) {
            uncount(session.countedAddress());
        }
    }

    /**
     * @param sessionId a session's id
     * @return whether this node holds it (it may still be resumed)
     */
    public boolean holds(String sessionId) {
        return live.containsKey(sessionId);
    }

    @Override
    public int inFlight() {
        return live.values().stream().mapToInt(Session::inFlight).sum();
    }

    /** @return sessions held by this node, with or without a socket */
    public int sessions() {
        return live.size();
    }

    private String answer(JsonValue id, Session session, String token, boolean resumed, String known) {
        return JsonRpc.result(id, "{\"session\":" + JsonRpc.quote(session.sessionId()) + ",\"token\":" + JsonRpc.quote(token)
                + ",\"resumed\":" + resumed + ",\"known\":" + known + ",\"ttlMs\":" + ttlMs + "}");
    }

    private String invalidParams(JsonValue id) {
        return error(id, RpcError.invalidParams(Map.of("reason",
                "rpc.session takes {} or {\"resume\": {\"session\": <id>, \"token\": <token>, \"ack\": <last seq received>}}")));
    }

    private String error(JsonValue id, RpcError error) {
        return JsonRpc.error(id, error.code(), error.message(), error.data() == null ? null : json.toJson(error.data()));
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
