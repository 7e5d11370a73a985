package org.multiwebsocket.gateway;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import org.multiwebsocket.discovery.Discovery;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.security.Authenticator;
import org.multiwebsocket.security.Handshake;
import org.multiwebsocket.security.OriginPolicy;
import org.multiwebsocket.security.PendingHandshakes;
import org.multiwebsocket.service.InvalidTokenException;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The gateway's handshake: records where the client reached the node (for {@code rpc.discover}) and
 * what the handshake established ({@link Handshake}) in the connection's user properties, which
 * Jakarta WebSocket 2.1 copies per connection.
 *
 * <p>On Payara the {@code HandshakeFilter} has already vetted the request and answered 403 / 401 /
 * 503 where it must. On a server whose WebSocket upgrade bypasses servlet filters, the same checks
 * run here, and a refused connection is closed with 1008 as soon as it opens.
 */
public class GatewayConfigurator extends ServerEndpointConfig.Configurator {

    static final String ORIGIN = Origin.class.getName();
    static final String HANDSHAKE = Handshake.class.getName();
    static final String TRACEPARENT = "traceparent";

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        Origin origin = origin(request);
        config.getUserProperties().put(ORIGIN, origin);
        Handshake vetted = CDI.current().select(PendingHandshakes.class).get()
                .take(first(request.getHeaders(), "sec-websocket-key"));
        config.getUserProperties().put(HANDSHAKE, vetted != null ? vetted : vet(request, origin));
        config.getUserProperties().put(TRACEPARENT, first(request.getHeaders(), TRACEPARENT));
    }

    private static Handshake vet(HandshakeRequest request, Origin origin) {
        Map<String, List<String>> headers = request.getHeaders();
        CDI<Object> cdi = CDI.current();
        if (!cdi.select(OriginPolicy.class).get().allows(first(headers, "origin"), origin)) {
            return new Handshake(null, null, "origin not allowed");
        }
        try {
            return new Handshake(cdi.select(Authenticator.class).get()
                    .authenticate(first(headers, "authorization"), all(headers, "sec-websocket-protocol"))
                    .orElse(null), null, null);
        } catch (InvalidTokenException e) {
            return new Handshake(null, null, "authentication refused");
        }
    }

    static Origin origin(HandshakeRequest request) {
        Map<String, List<String>> headers = request.getHeaders();
        URI uri = request.getRequestURI();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String contextPath = path.endsWith(Discovery.GATEWAY_PATH)
                ? path.substring(0, path.length() - Discovery.GATEWAY_PATH.length()) : "";
        String host = first(headers, "host");
        if (host == null) {
            host = uri.getHost() == null ? "localhost" : uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        }
        return Origin.of(uri.getScheme() == null ? "http" : uri.getScheme(), host, contextPath, headers);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = all(headers, name);
        return values.isEmpty() ? null : values.get(0);
    }

    private static List<String> all(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (name.equalsIgnoreCase(e.getKey()) && e.getValue() != null) {
                return e.getValue();
            }
        }
        return List.of();
    }
}
