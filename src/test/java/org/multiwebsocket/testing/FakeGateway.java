package org.multiwebsocket.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway socket that misbehaves on purpose: it refuses every handshake with an HTTP status (and a
 * {@code Retry-After}), or accepts it and closes the socket at once or soon after, as a draining or
 * full gateway does. Counts the handshakes it saw.
 */
public final class FakeGateway implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final int status;
    private final String retryAfter;
    private final int closeCode;
    private final long closeAfterMs;

    private FakeGateway(int status, String retryAfter, int closeCode, long closeAfterMs) throws IOException {
        this.status = status;
        this.retryAfter = retryAfter;
        this.closeCode = closeCode;
        this.closeAfterMs = closeAfterMs;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "fake-gateway-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Refuses every handshake with the status and, unless null, the {@code Retry-After} value. */
    public static FakeGateway refusing(int status, String retryAfter) throws IOException {
        return new FakeGateway(status, retryAfter, 0, 0);
    }

    /**
     * Accepts every handshake, then closes with the code: after {@code closeAfterMs}, or with 0 in the
     * very write that carries the 101.
     */
    public static FakeGateway closing(int closeCode, long closeAfterMs) throws IOException {
        return new FakeGateway(101, null, closeCode, closeAfterMs);
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/gateway");
    }

    public int handshakes() {
        return handshakes.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread answer = new Thread(() -> answer(socket), "fake-gateway-answer");
                answer.setDaemon(true);
                answer.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            String head = head(in);
            handshakes.incrementAndGet();
            if (status != 101) {
                out.write(("HTTP/1.1 " + status + " Refused\r\n" + (retryAfter == null ? "" : "Retry-After: " + retryAfter + "\r\n")
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            String protocol = header(head, "sec-websocket-protocol");
            byte[] accepted = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(header(head, "sec-websocket-key")) + "\r\n"
                    + (protocol == null ? "" : "Sec-WebSocket-Protocol: " + protocol.split(",")[0].trim() + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] close = {(byte) 0x88, 2, (byte) (closeCode >> 8), (byte) closeCode};
            if (closeAfterMs == 0) {
                byte[] both = new byte[accepted.length + close.length];
                System.arraycopy(accepted, 0, both, 0, accepted.length);
                System.arraycopy(close, 0, both, accepted.length, close.length);
                out.write(both);
            } else {
                out.write(accepted);
                out.flush();
                Thread.sleep(closeAfterMs);
                out.write(close);
            }
            out.flush();
        } catch (IOException | InterruptedException | NoSuchAlgorithmException e) {
            // the client went away first
        }
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int b; (b = in.read()) != -1; ) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String accept(String key) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(digest);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
