package org.multiwebsocket.transport.websocket;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.discovery.Origins;
import org.multiwebsocket.protocol.Protocol;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The gateway's handshake: records where the client reached the node (for {@code rpc.discover}) and
 * what the handshake established ({@link Handshake}) in the connection's user properties, which
 * Jakarta WebSocket 2.1 copies per connection.
 *
 * <p>On Payara the {@link HandshakeFilter} has already vetted the request and answered 400 / 403 /
 * 401 / 503 where it must. On a server whose WebSocket upgrade bypasses servlet filters, the same
 * {@link HandshakeVetting} runs here, and a refused connection is closed as soon as it opens.
 */
public class GatewayConfigurator extends ServerEndpointConfig.Configurator {

    static final String ORIGIN = Origin.class.getName();
    static final String HANDSHAKE = Handshake.class.getName();
    static final String TRACEPARENT = "traceparent";

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        Map<String, List<String>> headers = request.getHeaders();
        CDI<Object> cdi = CDI.current();
        Handshake vetted = cdi.select(PendingHandshakes.class).get().take(first(headers, "sec-websocket-key"));
        if (vetted == null) {
            Origin origin = origin(request, cdi.select(Origins.class).get());
            vetted = cdi.select(HandshakeVetting.class).get().vet(first(headers, "origin"), origin,
                    first(headers, "authorization"), all(headers, "sec-websocket-protocol"), null).handshake();
        }
        config.getUserProperties().put(ORIGIN, vetted.origin());
        config.getUserProperties().put(HANDSHAKE, vetted);
        config.getUserProperties().put(TRACEPARENT, first(headers, TRACEPARENT));
    }

    /** Where the client reached this node, when no filter worked it out: forwarding headers not trusted. */
    private static Origin origin(HandshakeRequest request, Origins origins) {
        Map<String, List<String>> headers = request.getHeaders();
        URI uri = request.getRequestURI();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String contextPath = path.endsWith(Protocol.GATEWAY_PATH)
                ? path.substring(0, path.length() - Protocol.GATEWAY_PATH.length()) : "";
        String host = first(headers, "host");
        if (host == null) {
            host = uri.getHost() == null ? "localhost" : uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        }
        return origins.untrusted(uri.getScheme() == null ? "http" : uri.getScheme(), host, contextPath);
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
