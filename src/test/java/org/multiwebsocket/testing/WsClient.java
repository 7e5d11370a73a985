package org.multiwebsocket.testing;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A plain WebSocket client for tests: frames in, frames out, every wait bounded. */
public final class WsClient implements AutoCloseable {

    private static final WebSocketContainer CONTAINER = ContainerProvider.getWebSocketContainer();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final Session session;

    private WsClient(URI uri, List<String> subprotocols) throws Exception {
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().preferredSubprotocols(subprotocols).build();
        session = CONTAINER.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig config) {
                session.setMaxTextMessageBufferSize(8 * 1024 * 1024);
                session.addMessageHandler(String.class, (MessageHandler.Whole<String>) received::add);
            }

            @Override
            public void onClose(Session session, CloseReason reason) {
                closed.complete(reason);
            }
        }, config, uri);
    }

    public static WsClient connect(URI uri) throws Exception {
        return new WsClient(uri, List.of("multiwebsocket.v1"));
    }

    public static WsClient connect(URI uri, List<String> subprotocols) throws Exception {
        return new WsClient(uri, subprotocols);
    }

    public String subprotocol() {
        return session.getNegotiatedSubprotocol();
    }

    public void send(String frame) throws IOException {
        session.getBasicRemote().sendText(frame);
    }

    public void sendBinary(byte[] bytes) throws IOException {
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
    }

    /** The next frame, waiting at most 5 seconds. */
    public String nextText() throws InterruptedException {
        return nextText(5_000);
    }

    public String nextText(long timeoutMs) throws InterruptedException {
        String text = received.poll(timeoutMs, TimeUnit.MILLISECONDS);
        assertNotNull(text, "no frame within " + timeoutMs + " ms");
        return text;
    }

    public JsonValue next() throws InterruptedException {
        return Json.parse(nextText());
    }

    public JsonObject nextObject() throws InterruptedException {
        return next().asJsonObject();
    }

    /** Sends a frame and returns the next frame. */
    public JsonObject call(String frame) throws Exception {
        send(frame);
        return nextObject();
    }

    /** Sends a frame and returns the next frame's raw text. */
    public String nextTextAfter(String frame) throws Exception {
        send(frame);
        return nextText();
    }

    /** Null when nothing arrives within the time. */
    public String poll(long timeoutMs) throws InterruptedException {
        return received.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public CloseReason awaitClose(long timeoutMs) throws Exception {
        return closed.get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close() throws IOException {
        if (session.isOpen()) {
            session.close();
        }
    }
}
