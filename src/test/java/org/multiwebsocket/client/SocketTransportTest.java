package org.multiwebsocket.client;

import jakarta.json.JsonValue;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What the socket reports when the container cannot send a call. */
class SocketTransportTest {

    /** What the engine heard: the transports whose sends failed, and the calls reported failed. */
    private static final class Heard implements Transport.Listener {
        final List<Transport> lost = new CopyOnWriteArrayList<>();
        final List<Throwable> reasons = new CopyOnWriteArrayList<>();
        final List<PendingCall<?>> failed = new CopyOnWriteArrayList<>();

        @Override
        public void received(Transport from, String text) {
        }

        @Override
        public void failed(PendingCall<?> call, MultiWebsocketException failure) {
            failed.add(call);
        }

        @Override
        public void lost(Transport transport, Throwable reason) {
            throw new AssertionError("a failed send is reported as such, for the engine to act on another thread");
        }

        @Override
        public void sendFailed(Transport transport, Throwable reason) {
            lost.add(transport);
            reasons.add(reason);
        }
    }

    /** A container session whose asynchronous sends all end as {@code send} says. */
    private static Session session(Consumer<SendHandler> send) {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(loader(RemoteEndpoint.Async.class),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        send.accept((SendHandler) args[1]);
                    }
                    return null;
                });
        return (Session) Proxy.newProxyInstance(loader(Session.class), new Class<?>[] {Session.class},
                (proxy, method, args) -> method.getName().equals("getAsyncRemote") ? remote : null);
    }

    private static ClassLoader loader(Class<?> type) {
        return type.getClassLoader();
    }

    private static PendingCall<?> call() {
        return new PendingCall<>(1, "helloworld", null, JsonValue.class, 0, ignored -> { });
    }

    @Test
    void aSendTheContainerFailsReportsTheSocketLostSoThatASessionCanCarryTheCall() {
        Heard heard = new Heard();
        SocketTransport socket = new SocketTransport(heard);
        socket.onOpen(session(handler -> handler.onResult(new SendResult(new IOException("Broken pipe")))), null);
        socket.send(call());
        assertEquals(List.of(socket), heard.lost);
        assertEquals(List.of(), heard.failed);
        assertInstanceOf(ConnectionLostException.class, heard.reasons.get(0));
        assertEquals("Broken pipe", heard.reasons.get(0).getCause().getMessage());
    }

    @Test
    void aSendTheContainerRefusesAtOnceReportsTheSocketLost() {
        Heard heard = new Heard();
        SocketTransport socket = new SocketTransport(heard);
        IllegalStateException closed = new IllegalStateException("The connection has been closed.");
        socket.onOpen(session(handler -> {
            throw closed;
        }), null);
        socket.send(call());
        assertEquals(List.of(socket), heard.lost);
        assertEquals(List.of(), heard.failed);
        assertSame(closed, heard.reasons.get(0).getCause());
    }

    @Test
    void aSendThatSucceedsReportsNothing() {
        Heard heard = new Heard();
        SocketTransport socket = new SocketTransport(heard);
        socket.onOpen(session(handler -> handler.onResult(new SendResult())), null);
        socket.send(call());
        assertEquals(List.of(), heard.lost);
        assertEquals(List.of(), heard.failed);
    }
}
