package org.multiwebsocket.testing;

import jakarta.json.JsonObject;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A gateway whose every answer the test writes: it serves a discovery document listing itself (with the
 * test's {@code limits} and {@code services}), the browser client's script and a blank page over HTTP, and
 * accepts WebSocket connections, each handed to the test as a {@link Connection} that reads what the client
 * sent and writes what the test says, or is cut like a dropped network.
 */
public final class ScriptedGateway implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final String services;
    private final String limits;

    /**
     * @param servicesJson the discovery document's {@code services} object
     * @param limitsJson   its {@code limits} object
     */
    public ScriptedGateway(String servicesJson, String limitsJson) throws IOException {
        this.services = servicesJson;
        this.limits = limitsJson;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon(this::accept, "scripted-gateway-" + server.getLocalPort());
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    }

    public URI discovery() {
        return base().resolve("api/discover");
    }

    /** The next WebSocket connection the client opened, waiting at most {@code seconds}. */
    public Connection next(int seconds) throws InterruptedException {
        Connection connection = connections.poll(seconds, TimeUnit.SECONDS);
        if (connection == null) {
            throw new AssertionError("the client opened no connection within " + seconds + " s");
        }
        return connection;
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                daemon(() -> serve(socket), "scripted-gateway-connection");
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1; ) {
                head.append((char) b);
            }
            String key = header(head.toString(), "sec-websocket-key");
            if (key == null) {
                http(socket, head.toString().split(" ", 3)[1]);
                return;
            }
            String protocol = header(head.toString(), "sec-websocket-protocol");
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
            Connection connection = new Connection(socket, in);
            connection.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n"
                    + (protocol == null ? "" : "Sec-WebSocket-Protocol: " + protocol.split(",")[0].trim() + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            connections.add(connection);
            connection.read();
        } catch (Exception e) {
            close(socket);
        }
    }

    private void http(Socket socket, String path) throws IOException {
        try (socket) {
            String type = "text/html";
            byte[] body = "<!doctype html><html><head><title>scripted</title></head><body></body></html>".getBytes(StandardCharsets.UTF_8);
            if (path.startsWith("/api/discover")) {
                String gateway = "ws://127.0.0.1:" + server.getLocalPort() + "/gateway";
                type = "application/json";
                body = ("{\"protocol\":\"multiwebsocket.v1\",\"gateway\":\"" + gateway + "\",\"gateways\":[\"" + gateway
                        + "\"],\"services\":" + services + ",\"limits\":" + limits + "}").getBytes(StandardCharsets.UTF_8);
            } else if (path.startsWith("/multiwebsocket.js")) {
                type = "text/javascript";
                body = Files.readAllBytes(Path.of("src/main/webapp/multiwebsocket.js"));
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length
                    + "\r\nAccess-Control-Allow-Origin: *\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        }
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

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.forEach(Connection::cut);
    }

    /** One WebSocket connection: what the client sent, in order, and a way to answer or cut it. */
    public static final class Connection {

        private final Socket socket;
        private final DataInputStream in;
        private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

        private Connection(Socket socket, DataInputStream in) {
            this.socket = socket;
            this.in = in;
        }

        /** The next text frame the client sent, waiting at most {@code seconds}; fails when none came. */
        public String text(int seconds) throws InterruptedException {
            String text = texts.poll(seconds, TimeUnit.SECONDS);
            if (text == null) {
                throw new AssertionError("the client sent nothing within " + seconds + " s");
            }
            return text;
        }

        /** The next text frame the client sent, as JSON. */
        public JsonObject json(int seconds) throws InterruptedException {
            return Json.object(text(seconds));
        }

        /** The next text frame within {@code millis}, or null when none came (to show that nothing was sent). */
        public String textWithin(long millis) throws InterruptedException {
            return texts.poll(millis, TimeUnit.MILLISECONDS);
        }

        /** Sends a text frame (unmasked, as a server does). */
        public void send(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            byte[] head = payload.length < 126 ? new byte[]{(byte) 0x81, (byte) payload.length}
                    : payload.length < 65_536 ? new byte[]{(byte) 0x81, 126, (byte) (payload.length >> 8), (byte) payload.length}
                    : null;
            if (head == null) {
                throw new IllegalArgumentException("frames over 64 KiB are not scripted");
            }
            byte[] frame = new byte[head.length + payload.length];
            System.arraycopy(head, 0, frame, 0, head.length);
            System.arraycopy(payload, 0, frame, head.length, payload.length);
            write(frame);
        }

        private synchronized void write(byte[] bytes) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }

        /** Drops the TCP connection without a close frame, as a network that failed. */
        public void cut() {
            ScriptedGateway.close(socket);
        }

        /** Reads frames until the connection ends: texts queued, pings answered, a close frame echoed. */
        private void read() throws IOException {
            StringBuilder message = new StringBuilder();
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = new byte[4];
                if ((second & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                int opcode = first & 0x0F;
                if (opcode == 0x9) {
                    write(frame(0x8A, payload));
                } else if (opcode == 0x8) {
                    write(frame(0x88, payload));
                    cut();
                    return;
                } else if (opcode == 0x1 || opcode == 0x0) {
                    message.append(new String(payload, StandardCharsets.UTF_8));
                    if ((first & 0x80) != 0) {
                        texts.add(message.toString());
                        message.setLength(0);
                    }
                }
            }
        }

        private static byte[] frame(int first, byte[] payload) {
            byte[] frame = new byte[2 + payload.length];
            frame[0] = (byte) first;
            frame[1] = (byte) payload.length;
            System.arraycopy(payload, 0, frame, 2, payload.length);
            return frame;
        }
    }
}
