package org.multiwebsocket.gateway;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import org.multiwebsocket.discovery.Discovery;
import org.multiwebsocket.discovery.Origin;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The gateway's handshake: records where the client reached the node (for {@code rpc.discover}) in
 * the connection's user properties, which Jakarta WebSocket 2.1 copies per connection. The place for
 * origin checks and authentication.
 */
public class GatewayConfigurator extends ServerEndpointConfig.Configurator {

    static final String ORIGIN = Origin.class.getName();

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        config.getUserProperties().put(ORIGIN, origin(request));
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
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (name.equalsIgnoreCase(e.getKey()) && e.getValue() != null && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
