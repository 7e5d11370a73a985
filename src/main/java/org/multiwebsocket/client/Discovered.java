package org.multiwebsocket.client;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.protocol.ServiceNames;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the client keeps of a discovery document (PROTOCOL.md section 1); {@code streams}: the services marked
 * {@code "stream": true}; {@code sessionTtlMs}: 0 when the gateway has no sessions (section 10), as when
 * {@code limits} has neither {@code sessionTtlMs} nor {@code sessionBufferBytes}.
 */
record Discovered(List<String> gateways, String http, Set<String> services, long callTimeoutMs, long heartbeatMs,
                  int maxInFlight, int maxMessageBytes, int streamWindow, Set<String> streams, long sessionTtlMs) {

    /** A document without sessions. */
    Discovered(List<String> gateways, String http, Set<String> services, long callTimeoutMs, long heartbeatMs,
               int maxInFlight, int maxMessageBytes, int streamWindow, Set<String> streams) {
        this(gateways, http, services, callTimeoutMs, heartbeatMs, maxInFlight, maxMessageBytes, streamWindow, streams, 0);
    }

    static Discovered of(JsonObject document) {
        List<String> gateways = new ArrayList<>();
        if (document.get("gateways") instanceof JsonArray listed) {
            listed.forEach(gateway -> {
                if (gateway instanceof JsonString s) {
                    gateways.add(s.getString());
                }
            });
        }
        if (gateways.isEmpty() && document.get("gateway") instanceof JsonString single) {
            gateways.add(single.getString());
        }
        JsonObject limits = document.get("limits") instanceof JsonObject l ? l : JsonValue.EMPTY_JSON_OBJECT;
        JsonObject services = document.get("services") instanceof JsonObject s ? s : JsonValue.EMPTY_JSON_OBJECT;
        return new Discovered(List.copyOf(gateways), document.get("http") instanceof JsonString h ? h.getString() : null,
                Set.copyOf(services.keySet()),
                limit(limits, "callTimeoutMs", 30_000), limit(limits, "heartbeatMs", 25_000),
                (int) Math.max(1, limit(limits, "maxInFlight", 256)),
                (int) limit(limits, "maxMessageBytes", Integer.MAX_VALUE),
                (int) Math.max(1, limit(limits, "streamWindow", 64)),
                services.entrySet().stream().filter(e -> e.getValue() instanceof JsonObject info
                        && info.get("stream") == JsonValue.TRUE).map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet()),
                limits.containsKey("sessionTtlMs") || limits.containsKey("sessionBufferBytes")
                        ? Math.max(1, limit(limits, "sessionTtlMs", 120_000)) : 0);
    }

    /** Whether the gateway offers sessions (PROTOCOL.md section 10). */
    boolean sessions() {
        return sessionTtlMs > 0;
    }

    private static long limit(JsonObject limits, String name, long defaultValue) {
        return limits.get(name) instanceof JsonNumber n ? n.longValue() : defaultValue;
    }

    /** Whether the service is listed, under any of its name forms; the built-ins ({@code rpc.*}) always are. */
    boolean lists(String service) {
        return service.startsWith(ServiceNames.RESERVED_PREFIX) || services.contains(ServiceNames.canonical(service));
    }

    /** Whether discovery marks the service, under any of its name forms, as a stream. */
    boolean isStream(String service) {
        return streams.contains(ServiceNames.canonical(service));
    }

    /** Why the gateway would refuse the call outright (a service it does not list, a frame too large), or null. */
    ServiceCallException refusal(String method, String frame) {
        if (!lists(method)) {
            return unknown(method);
        }
        if (frame.length() <= maxMessageBytes / 3) { // no char takes more than 3 bytes in UTF-8
            return null;
        }
        int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
        return bytes <= maxMessageBytes ? null : new ServiceCallException(RpcError.INVALID_REQUEST, "the request to "
                + method + " is " + bytes + " bytes, more than the gateway accepts (maxMessageBytes " + maxMessageBytes + ")",
                JsonRpc.JSON.createObjectBuilder().add("bytes", bytes).add("maxMessageBytes", maxMessageBytes).build());
    }

    static ServiceCallException unknown(String service) {
        return new ServiceCallException(RpcError.METHOD_NOT_FOUND, "Method not found: discovery lists no service '"
                + service + "'", JsonRpc.JSON.createObjectBuilder().add("method", service).build());
    }
}
