package org.multiwebsocket.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server push, received from one thread with one NIO selector (as {@link RawWebSocketLoad} sends calls):
 * <ul>
 *   <li>{@link Mode#STREAM}: each connection calls {@code words} {@code {"prefix": ""}} again as soon as the
 *       previous stream ended; every {@code rpc.item} frame is counted;</li>
 *   <li>{@link Mode#TOPIC}: the subscriber connections (source addresses 127.0.0.2 up, {@code perAddress}
 *       each) send {@code rpc.subscribe {"topic":"chat"}}; one publisher connection (127.0.0.1) calls
 *       {@code chat/send} with the load JVM's {@code System.nanoTime()} as {@code text}, the next once the
 *       previous was answered and received by every subscriber (at most 1 s later: a stall), or at a fixed
 *       rate; every {@code rpc.message} is counted and its latency (that nanoTime to its
 *       receipt) recorded. The publisher may connect to another node of a cluster than the subscribers
 *       (cross-node delivery).</li>
 * </ul>
 * All connections negotiate {@code multiwebsocket.v1}. A close, an error answer or an unexpected frame
 * counts as an error, and so does a publish that did not reach every subscriber within 1 s.
 */
final class PushLoad {

    enum Mode { STREAM, TOPIC }

    private static final byte[] ITEM = "\"rpc.item\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "\"rpc.message\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT = "\"text\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Mode mode;
    private final String host;
    private final int port;
    /** The port the publisher connects to (topic mode): the subscribers' or another node's. */
    private final int publisherPort;
    private final int connections;
    private final int perAddress;
    /** Publishes per second in topic mode; 0: the next as soon as the previous is answered. */
    private final int rate;
    private final List<Conn> conns = new ArrayList<>();
    private Selector selector;
    private Thread loop;
    private volatile boolean running;
    private volatile boolean publishing;

    /** rpc.item or rpc.message frames received. */
    final AtomicLong received = new AtomicLong();
    /** Calls answered: streams ended, or publishes answered. */
    final AtomicLong answered = new AtomicLong();
    final AtomicLong subscribed = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    /** Delivery latency of topic messages, µs. */
    private final Recorder latencies = new Recorder(60_000_000L, 3);
    private long nextId = 1;
    private long published;
    private boolean publishAnswered;
    private long deliveredSincePublish;
    private long lastPublishNanos;
    private long publishStart;

    PushLoad(Mode mode, String host, int port, int connections, int perAddress, int rate) {
        this(mode, host, port, port, connections, perAddress, rate);
    }

    /** @param publisherPort where the publisher connects, the subscribers (and streams) to {@code port} */
    PushLoad(Mode mode, String host, int port, int publisherPort, int connections, int perAddress, int rate) {
        this.mode = mode;
        this.host = host;
        this.port = port;
        this.publisherPort = publisherPort;
        this.connections = connections;
        this.perAddress = perAddress;
        this.rate = rate;
    }

    private final class Conn {
        final SocketChannel channel;
        final boolean publisher;
        final byte[] mask = new byte[4];
        final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
        ByteBuffer out = ByteBuffer.allocate(16 * 1024);
        SelectionKey key;

        Conn(SocketChannel channel, boolean publisher) {
            this.channel = channel;
            this.publisher = publisher;
            ThreadLocalRandom.current().nextBytes(mask);
        }

        void send(String text) {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            int header = payload.length < 126 ? 2 : 4;
            byte[] f = new byte[header + 4 + payload.length];
            f[0] = (byte) 0x81;
            if (header == 2) {
                f[1] = (byte) (0x80 | payload.length);
            } else {
                f[1] = (byte) (0x80 | 126);
                f[2] = (byte) (payload.length >>> 8);
                f[3] = (byte) payload.length;
            }
            System.arraycopy(mask, 0, f, header, 4);
            for (int i = 0; i < payload.length; i++) {
                f[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
            }
            queue(f);
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
            if (out.position() > 0) {
                out.flip();
                channel.write(out);
                out.compact();
            }
            key.interestOps(out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

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
                if (opcode == 0x1 && (b0 & 0x80) != 0) {
                    frame(this, in, payload, end);
                } else if (opcode == 0x9) {
                    byte[] data = new byte[end - payload];
                    in.get(payload, data);
                    byte[] pong = new byte[2 + 4 + data.length];
                    pong[0] = (byte) 0x8A;
                    pong[1] = (byte) (0x80 | data.length);
                    System.arraycopy(mask, 0, pong, 2, 4);
                    for (int i = 0; i < data.length; i++) {
                        pong[6 + i] = (byte) (data[i] ^ mask[i & 3]);
                    }
                    queue(pong);
                } else if (opcode != 0xA) {
                    errors.incrementAndGet();
                }
                in.position(end);
            }
            in.compact();
        }
    }

    /** One text frame from the server. */
    private void frame(Conn conn, ByteBuffer in, int from, int to) {
        if (mode == Mode.STREAM) {
            if (indexOf(in, ITEM, from, to) >= 0) {
                received.incrementAndGet();
                return;
            }
            if (indexOf(in, ERROR, from, to) >= 0) {
                errors.incrementAndGet();
            }
            answered.incrementAndGet();
            if (running) {
                callWords(conn);
            }
            return;
        }
        if (indexOf(in, MESSAGE, from, to) >= 0) {
            long now = System.nanoTime();
            received.incrementAndGet();
            long sent = RawWebSocketLoad.number(in, TEXT, from, to);
            if (sent < 0) {
                errors.incrementAndGet();
                return;
            }
            latencies.recordValue(Math.min(60_000_000L, Math.max(1, (now - sent) / 1_000)));
            deliveredSincePublish++;
            return;
        }
        if (indexOf(in, ERROR, from, to) >= 0) {
            errors.incrementAndGet();
        }
        if (!conn.publisher) {
            subscribed.incrementAndGet();
        } else {
            answered.incrementAndGet();
            publishAnswered = true;
        }
    }

    private void callWords(Conn conn) {
        conn.send("{\"jsonrpc\":\"2.0\",\"id\":" + nextId++ + ",\"method\":\"words\",\"params\":{\"prefix\":\"\",\"delayMs\":0}}");
    }

    private void publish(Conn conn) {
        published++;
        publishAnswered = false;
        deliveredSincePublish = 0;
        lastPublishNanos = System.nanoTime();
        conn.send("{\"jsonrpc\":\"2.0\",\"id\":" + nextId++ + ",\"method\":\"chat/send\",\"params\":{\"name\":\"bench\",\"text\":\""
                + System.nanoTime() + "\"}}");
    }

    private static int indexOf(ByteBuffer buffer, byte[] what, int from, int to) {
        return RawWebSocketLoad.indexOf(buffer, what, from, to);
    }

    /** Opens every connection (blocking handshakes, one at a time), then starts the selector thread. */
    void start() throws IOException {
        selector = Selector.open();
        if (mode == Mode.TOPIC) {
            conns.add(open("127.0.0.1", true));
        }
        for (int c = 0; c < connections; c++) {
            conns.add(open(mode == Mode.TOPIC ? "127.0.0." + (2 + c / perAddress) : "127.0.0.1", false));
        }
        running = true;
        loop = new Thread(this::loop, "bench-push-" + mode);
        loop.setDaemon(true);
        loop.start();
    }

    private Conn open(String source, boolean publisher) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.bind(new InetSocketAddress(source, 0));
        int to = publisher ? publisherPort : port;
        channel.connect(new InetSocketAddress(host, to));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String request = "GET /gateway HTTP/1.1\r\nHost: " + host + ":" + to + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Protocol: multiwebsocket.v1\r\n\r\n";
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        Conn conn = new Conn(channel, publisher);
        String head = "";
        while (!head.contains("\r\n\r\n")) {
            if (channel.read(conn.in) < 0) {
                throw new IOException("closed during the handshake from " + source);
            }
            head = new String(conn.in.array(), 0, conn.in.position(), StandardCharsets.ISO_8859_1);
        }
        if (!head.startsWith("HTTP/1.1 101") || !head.toLowerCase().contains("multiwebsocket.v1")) {
            throw new IOException("handshake from " + source + " refused or without multiwebsocket.v1: " + head.lines().findFirst().orElse(""));
        }
        conn.in.flip().position(head.indexOf("\r\n\r\n") + 4);
        conn.in.compact();
        channel.configureBlocking(false);
        return conn;
    }

    /** Topic mode: starts publishing (after every subscriber is subscribed). */
    void startPublishing() {
        publishing = true;
        selector.wakeup();
    }

    private void loop() {
        try {
            Conn publisher = null;
            for (Conn conn : conns) {
                conn.key = conn.channel.register(selector, SelectionKey.OP_READ, conn);
                if (mode == Mode.STREAM) {
                    callWords(conn);
                } else if (conn.publisher) {
                    publisher = conn;
                } else {
                    conn.send("{\"jsonrpc\":\"2.0\",\"id\":" + nextId++ + ",\"method\":\"rpc.subscribe\",\"params\":{\"topic\":\"chat\"}}");
                }
                conn.flush();
            }
            boolean began = false;
            while (running) {
                selector.select(publishing ? 1 : 50);
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn conn = (Conn) key.attachment();
                    if (key.isReadable()) {
                        if (conn.channel.read(conn.in) < 0) {
                            errors.incrementAndGet();
                            key.cancel();
                            continue;
                        }
                        conn.readFrames();
                    }
                    conn.flush();
                }
                selector.selectedKeys().clear();
                if (publisher != null && publishing) {
                    if (!began) {
                        began = true;
                        publishStart = System.nanoTime();
                        publish(publisher);
                    } else if (rate == 0) {
                        boolean stalled = System.nanoTime() - lastPublishNanos > 1_000_000_000L;
                        if (publishAnswered && deliveredSincePublish >= connections || stalled) {
                            if (stalled) {
                                errors.incrementAndGet();
                            }
                            publish(publisher);
                        }
                    } else {
                        long due = (System.nanoTime() - publishStart) * rate / 1_000_000_000L + 1;
                        while (published < due) {
                            publish(publisher);
                        }
                    }
                    publisher.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running) {
                errors.incrementAndGet();
                System.err.println("push load (" + mode + ") failed: " + e);
            }
        }
    }

    /** The delivery latencies (µs) recorded since the previous call. */
    Histogram latencies() {
        return latencies.getIntervalHistogram();
    }

    void close() throws Exception {
        running = false;
        publishing = false;
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
