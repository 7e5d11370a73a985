package org.multiwebsocket.bench.bare;

import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** What a developer writes without MultiWebsocket: an endpoint that echoes each frame. Benchmark only. */
@ServerEndpoint("/echo")
public class BareEchoEndpoint {

    @OnMessage
    public void echo(String frame, Session session) {
        session.getAsyncRemote().sendText(frame);
    }
}
