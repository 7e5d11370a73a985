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
 * The gateway's handshake: records what the handshake established ({@link Handshake}: where the client
 * reached the node, for {@code rpc.discover}, and who it is) in the connection's user properties, which
 * Jakarta WebSocket 2.1 copies per connection. It is one entry, which the endpoint takes out of both
 * copies when the connection opens: Tyrus keeps the handshake's copy for as long as the connection
 * lasts, and an idle connection should hold nothing it no longer needs.
 *
 * <p>It also makes the endpoint instances ({@link #getEndpointInstance}), so that the container does not
 * make each one a CDI-managed object: Payara's Tyrus keeps a new injection target and creational
 * context per instance until its connection closes, for an endpoint that needs one bean it can be
 * handed.
 *
 * <p>On Payara the {@link HandshakeFilter} has already vetted the request and answered 400 / 403 /
 * 401 / 503 where it must. On a server whose WebSocket upgrade bypasses servlet filters, the same
 * {@link HandshakeVetting} runs here, and a refused connection is closed as soon as it opens.
 */
public class GatewayConfigurator extends ServerEndpointConfig.Configurator {

    static final String OPENING = Opening.class.getName();
    static final String TRACEPARENT = "traceparent";

    /** The gateway's connections, looked up once per deployment (Tyrus makes one configurator per endpoint). */
    private volatile Connections connections;

    /**
     * What the handshake established, on its way to the endpoint.
     *
     * @param handshake   the vetted handshake
     * @param traceparent the handshake's {@code traceparent}, or null
     * @param properties  the handshake's copy of the user properties, from which the endpoint removes this
     */
    record Opening(Handshake handshake, String traceparent, Map<String, Object> properties) {

        /** @return the opening recorded for this session, now removed from both copies of the user properties */
        static Opening take(Map<String, Object> sessionProperties) {
            Object value = sessionProperties.remove(OPENING);
            if (value instanceof Opening opening) {
                opening.properties().remove(OPENING);
                return opening;
            }
            return null;
        }
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != GatewayEndpoint.class) {
            return super.getEndpointInstance(endpointClass);
        }
        Connections known = connections;
        if (known == null) {
            known = CDI.current().select(Connections.class).get().unproxied().get();
            connections = known;
        }
        return endpointClass.cast(new GatewayEndpoint(known));
    }

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
        Map<String, Object> properties = config.getUserProperties();
        properties.put(OPENING, new Opening(vetted, first(headers, TRACEPARENT), properties));
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
