package org.multiwebsocket.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * WebSocket calls from one thread with one NIO selector: a client as cheap as the servers it loads, so
 * that the load generator's own core is not what limits the fastest targets (a Tyrus client on one core
 * was: it topped out below what rpc-websockets and the floors serve). Client frames are masked as RFC
 * 6455 requires, with a mask chosen per connection; answers are read without copying into strings: the
 * {@code "id":} number and an {@code "error"} member are found in the bytes. Pings are answered; a close,
 * fragmented or binary frame counts as an error.
 *
 * <p>With {@code session}, each connection first opens a session ({@code rpc.session {}}, answer awaited
 * before the load starts; PROTOCOL.md section 10), then reads the {@code "seq"} of every message and
 * acknowledges the newest every {@link #ACK_EVERY} messages with {@code rpc.ack}, as a client would.
 */
final class RawWebSocketLoad extends Load {

    private static final byte[] ID = "\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    /** With sessions: an {@code rpc.ack} after this many messages. */
    static final int ACK_EVERY = 32;

    private final URI uri;
    private final String subprotocol;
    private final IntFunction<String> frame;
    private final boolean session;
    private final List<Conn> conns = new ArrayList<>();
    private Selector selector;
    private Thread loop;
    private volatile boolean running;

    /** @param subprotocol offered in the handshake, or null */
    RawWebSocketLoad(URI uri, String subprotocol, int connections, int inFlight) {
        this(uri, subprotocol, connections, inFlight, Load::frame, false);
    }

    /**
     * @param frame   the request with a given id (1…inFlight)
     * @param session whether each connection opens a session first and acknowledges what it receives
     */
    RawWebSocketLoad(URI uri, String subprotocol, int connections, int inFlight, IntFunction<String> frame, boolean session) {
        super(connections, inFlight);
        this.uri = uri;
        this.subprotocol = subprotocol;
        this.frame = frame;
        this.session = session;
    }

    /** One connection: its masked frames by id, when each id was sent, what is read and what waits to be written. */
    private final class Conn {
        final SocketChannel channel;
        final byte[][] frames = new byte[inFlight + 1][];
        final long[] sent = new long[inFlight + 1];
        final byte[] mask = new byte[4];
        final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
        ByteBuffer out = ByteBuffer.allocate(64 * 1024);
        SelectionKey key;
        /** With sessions: the newest seq received, and messages received since the last ack. */
        long seq;
        int unacked;

        Conn(SocketChannel channel) {
            this.channel = channel;
            ThreadLocalRandom.current().nextBytes(mask);
            for (int id = 1; id <= inFlight; id++) {
                frames[id] = masked(frame.apply(id).getBytes(StandardCharsets.UTF_8), 0x1);
            }
        }

        byte[] masked(byte[] payload, int opcode) {
            int header = payload.length < 126 ? 2 : payload.length < 65_536 ? 4 : 10;
            byte[] f = new byte[header + 4 + payload.length];
            f[0] = (byte) (0x80 | opcode);
            if (header == 2) {
                f[1] = (byte) (0x80 | payload.length);
            } else if (header == 4) {
                f[1] = (byte) (0x80 | 126);
                f[2] = (byte) (payload.length >>> 8);
                f[3] = (byte) payload.length;
            } else {
                f[1] = (byte) (0x80 | 127);
                for (int i = 0; i < 8; i++) {
                    f[2 + i] = (byte) ((long) payload.length >>> (56 - 8 * i));
                }
            }
            System.arraycopy(mask, 0, f, header, 4);
            for (int i = 0; i < payload.length; i++) {
                f[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
            }
            return f;
        }

        void queue(byte[] frame) {
            if (out.remaining() < frame.length) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + frame.length));
                out.flip();
                bigger.put(out);
                out = bigger;
            }
            out.put(frame);
        }

        void flush() throws IOException {
            if (out.position() == 0) {
                return;
            }
            out.flip();
            channel.write(out);
            out.compact();
            key.interestOps(out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** Parses every complete frame read so far. */
        void readFrames() {
            in.flip();
            while (in.remaining() >= 2) {
                int start = in.position();
                int b0 = in.get(start) & 0xff;
                int b1 = in.get(start + 1) & 0x7f;
                int header = 2;
                long length = b1;
                if (b1 == 126) {
                    if (in.remaining() < 4) {
                        break;
                    }
                    length = in.getShort(start + 2) & 0xffff;
                    header = 4;
                } else if (b1 == 127) {
                    if (in.remaining() < 10) {
                        break;
                    }
                    length = in.getLong(start + 2);
                    header = 10;
                }
                if (in.remaining() < header + length) {
                    if (header + length > in.capacity()) {
                        errors.incrementAndGet();
                        in.clear();
                        return;
                    }
                    break;
                }
                int payload = start + header;
                int end = (int) (payload + length);
                int opcode = b0 & 0x0f;
                boolean fin = (b0 & 0x80) != 0;
                if (opcode == 0x1 && fin) {
                    answer(payload, end);
                } else if (opcode == 0x9) {
                    byte[] data = new byte[end - payload];
                    in.get(payload, data);
                    queue(masked(data, 0xA));
                } else if (opcode != 0xA) {
                    // a close frame (the server ends the connection: its chains stop), binary or fragmented frames
                    errors.incrementAndGet();
                }
                in.position(end);
            }
            in.compact();
        }

        private void answer(int from, int to) {
            long id = number(in, ID, from, to);
            if (id < 1 || id > inFlight) {
                errors.incrementAndGet();
                return;
            }
            if (indexOf(in, ERROR, from, to) >= 0) {
                errors.incrementAndGet();
            }
            if (session) {
                acknowledge(from, to);
            }
            if (answered(sent[(int) id])) {
                sent[(int) id] = System.nanoTime();
                queue(frames[(int) id]);
            }
        }

        private void acknowledge(int from, int to) {
            long n = number(in, SEQ, from, to);
            if (n <= seq) {
                errors.incrementAndGet();
                return;
            }
            seq = n;
            if (++unacked >= ACK_EVERY) {
                unacked = 0;
                queue(masked(("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ack\",\"params\":{\"seq\":" + seq + "}}")
                        .getBytes(StandardCharsets.US_ASCII), 0x1));
            }
        }

        /** Sends {@code rpc.session {}} and reads its answer (blocking: before the selector takes over). */
        void openSession() throws IOException {
            channel.write(ByteBuffer.wrap(masked("{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"rpc.session\",\"params\":{}}"
                    .getBytes(StandardCharsets.US_ASCII), 0x1)));
            while (in.position() < 4 || in.position() < header() + payloadLength()) {
                if (channel.read(in) < 0) {
                    throw new IOException("closed before the answer to rpc.session from " + uri);
                }
            }
            int end = header() + payloadLength();
            String answer = new String(in.array(), header(), payloadLength(), StandardCharsets.UTF_8);
            if (!answer.contains("\"session\"") || answer.contains("\"error\"")) {
                throw new IOException(uri + " refused rpc.session: " + answer);
            }
            in.flip().position(end);
            in.compact();
        }

        /** The first frame's header length (a frame under 64 KB; the answer to rpc.session is one, of at least 4 bytes). */
        private int header() {
            return (in.get(1) & 0x7f) < 126 ? 2 : 4;
        }

        private int payloadLength() {
            int b1 = in.get(1) & 0x7f;
            return b1 < 126 ? b1 : in.getShort(2) & 0xffff;
        }
    }

    /** The unsigned number after {@code key} in a frame, or -1. */
    static long number(ByteBuffer buffer, byte[] key, int from, int to) {
        int at = indexOf(buffer, key, from, to);
        if (at < 0) {
            return -1;
        }
        long n = 0;
        for (int i = at + key.length; i < to; i++) {
            byte c = buffer.get(i);
            if (c < '0' || c > '9') {
                break;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    static int indexOf(ByteBuffer buffer, byte[] what, int from, int to) {
        outer:
        for (int i = from; i <= to - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (buffer.get(i + j) != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    void start() throws IOException {
        selector = Selector.open();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        for (int c = 0; c < connections; c++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                    + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n") + "\r\n";
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            Conn conn = new Conn(channel);
            String head = "";
            while (!head.contains("\r\n\r\n")) {
                if (channel.read(conn.in) < 0) {
                    throw new IOException("closed during the handshake with " + uri);
                }
                head = new String(conn.in.array(), 0, conn.in.position(), StandardCharsets.ISO_8859_1);
            }
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException(uri + " refused the handshake: " + head.lines().findFirst().orElse(""));
            }
            int rest = head.indexOf("\r\n\r\n") + 4;
            conn.in.flip().position(rest);
            conn.in.compact();
            if (session) {
                conn.openSession();
            }
            channel.configureBlocking(false);
            conns.add(conn);
        }
        running = true;
        loop = new Thread(this::loop, "bench-load-" + uri.getPort());
        loop.setDaemon(true);
        loop.start();
    }

    private void loop() {
        try {
            for (Conn conn : conns) {
                conn.key = conn.channel.register(selector, SelectionKey.OP_READ, conn);
                for (int id = 1; id <= inFlight; id++) {
                    conn.sent[id] = System.nanoTime();
                    conn.queue(conn.frames[id]);
                }
                conn.flush();
            }
            while (running) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn conn = (Conn) key.attachment();
                    if (key.isReadable()) {
                        if (conn.channel.read(conn.in) < 0) {
                            key.cancel();
                            continue;
                        }
                        conn.readFrames();
                    }
                    conn.flush();
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                errors.incrementAndGet();
                System.err.println("load generator for " + uri + " failed: " + e);
            }
        }
    }

    @Override
    void close() throws Exception {
        running = false;
        if (selector != null) {
            selector.wakeup();
        }
        if (loop != null) {
            loop.join(5_000);
        }
        for (Conn conn : conns) {
            conn.channel.close();
        }
        if (selector != null) {
            selector.close();
        }
    }
}
