package org.multiwebsocket.client;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the client keeps of a discovery document. */
record Discovered(List<String> gateways, String http, Set<String> services, long callTimeoutMs, long heartbeatMs,
                  int maxInFlight, int maxMessageBytes) {

    static Discovered of(JsonObject document) {
        List<String> gateways = new ArrayList<>();
        JsonValue list = document.get("gateways");
        if (list != null && list.getValueType() == JsonValue.ValueType.ARRAY) {
            list.asJsonArray().forEach(g -> {
                if (g instanceof JsonString s) {
                    gateways.add(s.getString());
                }
            });
        }
        if (gateways.isEmpty() && document.get("gateway") instanceof JsonString single) {
            gateways.add(single.getString());
        }
        String http = document.get("http") instanceof JsonString h ? h.getString() : null;
        Set<String> services = document.get("services") instanceof JsonObject s ? Set.copyOf(s.keySet()) : Set.of();
        JsonObject limits = document.get("limits") instanceof JsonObject l ? l : JsonValue.EMPTY_JSON_OBJECT;
        return new Discovered(List.copyOf(gateways), http, services,
                limits.getJsonNumber("callTimeoutMs") == null ? 30_000 : limits.getJsonNumber("callTimeoutMs").longValue(),
                limits.getJsonNumber("heartbeatMs") == null ? 25_000 : limits.getJsonNumber("heartbeatMs").longValue(),
                limits.getJsonNumber("maxInFlight") == null ? 256 : limits.getJsonNumber("maxInFlight").intValue(),
                limits.getJsonNumber("maxMessageBytes") == null ? Integer.MAX_VALUE : limits.getJsonNumber("maxMessageBytes").intValue());
    }

    /** Whether the service is listed, under any of its name forms; the built-ins ({@code rpc.*}) always are. */
    boolean lists(String service) {
        return service.startsWith("rpc.") || services.contains(canonical(service));
    }

    static String canonical(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '/') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '/') {
            end--;
        }
        return name.substring(start, end);
    }
}
