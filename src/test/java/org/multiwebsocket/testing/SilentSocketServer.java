package org.multiwebsocket.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A gateway address whose WebSocket handshake never completes: it accepts TCP connections, answers
 * nothing, and drops each connection after a while, as a node that hangs and then gives up.
 */
public final class SilentSocketServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService drops = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "silent-socket-server");
        thread.setDaemon(true);
        return thread;
    });

    public SilentSocketServer(Duration dropAfter) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.add(socket);
                    drops.schedule(() -> closeQuietly(socket), dropAfter.toMillis(), TimeUnit.MILLISECONDS);
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-socket-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The gateway URL a discovery document would list. */
    public String gatewayUrl() {
        return "ws://127.0.0.1:" + server.getLocalPort() + "/gateway";
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        drops.shutdownNow();
        accepted.forEach(SilentSocketServer::closeQuietly);
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
