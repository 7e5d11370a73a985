package org.multiwebsocket.transport.websocket;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.protocol.Protocol;

import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gateway socket at {@code /gateway}: every text message (a fragmented one joined) is a JSON-RPC 2.0
 * request, notification or batch. Frames are read here and handed to the dispatcher through
 * {@link Connections}; handlers run elsewhere. Instances are made by the {@link GatewayConfigurator},
 * which hands each the connections.
 */
@ServerEndpoint(value = Protocol.GATEWAY_PATH, subprotocols = Protocol.SUBPROTOCOL,
        configurator = GatewayConfigurator.class)
public class GatewayEndpoint {

    private static final Logger LOG = Logger.getLogger(GatewayEndpoint.class.getName());
    private static final Handshake UNVETTED = new Handshake(new Origin(false, "localhost", ""), null, null,
            "the handshake was not vetted");

    private Connections connections;
    private Connection connection;

    /** For a container that makes endpoints without asking the configurator: the connections are looked up. */
    public GatewayEndpoint() {
    }

    GatewayEndpoint(Connections connections) {
        this.connections = connections;
    }

    @OnOpen
    public void open(Session session, EndpointConfig config) {
        if (connections == null) {
            connections = CDI.current().select(Connections.class).get().unproxied().get();
        }
        GatewayConfigurator.Opening opening = GatewayConfigurator.Opening.take(session.getUserProperties());
        Handshake handshake = opening == null ? UNVETTED : opening.handshake();
        connection = connections.open(session, handshake.origin(), handshake, opening == null ? null : opening.traceparent());
    }

    /**
     * A text message, part by part: an unfragmented frame comes whole ({@code last}) and goes straight to
     * the dispatcher; the parts of a fragmented one are joined first ({@link TextParts}). A partial handler
     * rather than a whole one because for a whole message Tyrus looks up decoders and sorts the session's
     * whole-message handlers on every frame; a partial one it finds with a plain look through the session's
     * handlers.
     */
    @OnMessage
    public void text(String part, boolean last) {
        if (connection == null) {
            return;
        }
        String message = connection.parts().add(part, last, connections.maxMessageBytes());
        if (message != null) {
            connections.onFrame(connection, message);
        }
    }

    /** Binary frames are refused at their first part (a partial handler for the same reason as text's). */
    @OnMessage
    public void binary(ByteBuffer part, boolean last) {
        if (connection != null) {
            connection.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT,
                    "binary frames are not accepted; send JSON-RPC as text"));
        }
    }

    @OnMessage
    public void pong(PongMessage pong) {
        if (connection != null) {
            connection.pong();
        }
    }

    @OnClose
    public void close(CloseReason reason) {
        if (connection != null) {
            connections.closed(connection, reason);
        }
    }

    @OnError
    public void error(Throwable failure) {
        LOG.log(Level.FINE, "connection " + (connection == null ? "?" : connection.id()) + " failed", failure);
    }
}
