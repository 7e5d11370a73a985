package org.multiwebsocket.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket client written on a bare socket, for what a well-behaved client library will not do:
 * ignore pings, send frames a library refuses, read close codes frame by frame.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** One frame as read. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame, or -1. */
        public int closeCode() {
            return opcode == CLOSE && payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String handshakeResponse;
    private final SecureRandom random = new SecureRandom();
    private boolean answerPings = true;

    /**
     * Opens the connection; the handshake response head is kept, whatever its status.
     *
     * @param uri     ws:// URI
     * @param headers extra handshake headers
     */
    public RawWebSocket(URI uri, Map<String, String> headers) throws IOException {
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(uri.getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        handshakeResponse = head.toString();
    }

    /** The status line and headers of the handshake response. */
    public String handshakeResponse() {
        return handshakeResponse;
    }

    public int status() {
        String[] parts = handshakeResponse.split(" ", 3);
        return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    }

    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one masked, final frame. */
    public void send(int opcode, byte[] payload) throws IOException {
        send(true, opcode, payload);
    }

    /**
     * Sends one masked frame; with {@code fin} false the message goes on in {@link #CONTINUATION}
     * frames.
     */
    public void send(boolean fin, int opcode, byte[] payload) throws IOException {
        byte[] mask = sendHead(fin, opcode, payload.length);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(masked);
        out.flush();
    }

    /**
     * Sends only the head of a masked frame announcing {@code length} payload bytes, whether or not
     * they ever follow ({@link #sendRaw}).
     *
     * @return the mask the payload would be masked with
     */
    public byte[] sendHead(boolean fin, int opcode, long length) throws IOException {
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        int first = (fin ? 0x80 : 0) | opcode;
        byte[] header;
        if (length < 126) {
            header = new byte[]{(byte) first, (byte) (0x80 | length)};
        } else if (length < 65_536) {
            header = new byte[]{(byte) first, (byte) (0x80 | 126), (byte) (length >> 8), (byte) length};
        } else {
            header = new byte[10];
            header[0] = (byte) first;
            header[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                header[9 - i] = (byte) (length >> (8 * i));
            }
        }
        out.write(header);
        out.write(mask);
        out.flush();
        return mask;
    }

    /** Sends bytes as they are. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Whether {@link #read} answers pings by itself, as a client library would. */
    public RawWebSocket answeringPings(boolean answer) {
        this.answerPings = answer;
        return this;
    }

    /**
     * Reads the next frame, waiting at most {@code timeoutMs}; fails on end of stream or timeout.
     * Pings are answered and skipped unless {@link #answeringPings} turned that off.
     */
    public Frame read(int timeoutMs) throws IOException {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new java.net.SocketTimeoutException("no frame but pings within " + timeoutMs + " ms");
            }
            Frame frame = readFrame((int) left);
            if (frame.opcode() == PING && answerPings) {
                send(PONG, frame.payload());
                continue;
            }
            return frame;
        }
    }

    /**
     * Stays connected as a client library would until the instant, answering pings; fails on any
     * other frame, which nothing should send meanwhile.
     */
    public void idleUntil(java.time.Instant instant) throws IOException {
        while (true) {
            long left = java.time.Duration.between(java.time.Instant.now(), instant).toMillis();
            if (left <= 0) {
                return;
            }
            Frame frame;
            try {
                frame = readFrame((int) left);
            } catch (java.net.SocketTimeoutException quiet) {
                return;
            }
            if (frame.opcode() != PING) {
                throw new IllegalStateException("unexpected frame with opcode " + frame.opcode() + " while idle");
            }
            send(PONG, frame.payload());
        }
    }

    private Frame readFrame(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
