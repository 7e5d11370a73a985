package org.multiwebsocket.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Idle WebSocket connections, as cheaply as a client can hold them: a process of its own with one NIO
 * selector thread, one HTTP upgrade request per socket, the {@code 101} read, then the socket kept and
 * watched for a close. Client sockets are bound to source addresses 127.0.0.{first}… with
 * {@code perAddress} sockets each (the gateway's per-address limit), and at most {@code maxPending}
 * handshakes are open at once (more overflow the server's accept backlog).
 *
 * <p>Arguments: {@code host port path subprotocol count firstAddress perAddress maxPending}
 * ({@code subprotocol} {@code -} for none; {@code firstAddress} the offset of the first source address
 * above 127.0.0.0, e.g. 2 for 127.0.0.2). Prints {@code progress OPENED FAILED} every second while
 * opening, then {@code done OPENED FAILED FIRST_FAILURE}; after that, each line {@code status} on standard
 * input is answered with {@code status OPEN CLOSED}; {@code exit} or the end of the input closes every
 * socket and ends the process. Benchmark only.
 */
public final class IdleClients {

    private static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private IdleClients() {
    }

    /** One socket's state: the response read so far, until it is open. */
    private static final class Conn {
        final SocketChannel channel;
        final long startedNanos = System.nanoTime();
        ByteBuffer request;
        ByteBuffer response = ByteBuffer.allocate(1024);
        boolean open;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        String subprotocol = args[3];
        int count = Integer.parseInt(args[4]);
        int firstAddress = Integer.parseInt(args[5]);
        int perAddress = Integer.parseInt(args[6]);
        int maxPending = Integer.parseInt(args[7]);
        InetSocketAddress server = new InetSocketAddress(host, port);
        String requestHead = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + (subprotocol.equals("-") ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n");

        Selector selector = Selector.open();
        List<Conn> pending = new ArrayList<>();
        int started = 0;
        int opened = 0;
        int failed = 0;
        String firstFailure = "-";
        int consecutiveFailures = 0;
        long nextProgress = System.nanoTime();
        ByteBuffer scratch = ByteBuffer.allocate(4096);
        int[] closed = {0};
        while (opened + failed < count) {
            while (pending.size() < maxPending && started < count && consecutiveFailures < 2_000) {
                int index = started++;
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.configureBlocking(false);
                    channel.bind(new InetSocketAddress(address(firstAddress + index / perAddress), 0));
                    Conn conn = new Conn(channel);
                    byte[] key = new byte[16];
                    ThreadLocalRandom.current().nextBytes(key);
                    conn.request = ByteBuffer.wrap((requestHead + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    if (channel.connect(server)) {
                        channel.register(selector, SelectionKey.OP_WRITE, conn);
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, conn);
                    }
                    pending.add(conn);
                } catch (IOException e) {
                    channel.close();
                    failed++;
                    consecutiveFailures++;
                    if (firstFailure.equals("-")) {
                        firstFailure = oneWord(e.toString());
                    }
                }
            }
            if (consecutiveFailures >= 2_000 && pending.isEmpty()) {
                failed += count - started;
                break;
            }
            selector.select(200);
            for (SelectionKey key : selector.selectedKeys()) {
                Conn conn = (Conn) key.attachment();
                if (conn == null) {
                    readOrClose(key, scratch, closed);
                    continue;
                }
                String failure = null;
                try {
                    if (key.isConnectable()) {
                        conn.channel.finishConnect();
                        key.interestOps(SelectionKey.OP_WRITE);
                    } else if (key.isWritable()) {
                        conn.channel.write(conn.request);
                        if (!conn.request.hasRemaining()) {
                            conn.request = null;
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        if (conn.channel.read(conn.response) < 0) {
                            failure = "closed-during-handshake";
                        } else {
                            String text = new String(conn.response.array(), 0, conn.response.position(), StandardCharsets.ISO_8859_1);
                            if (text.contains("\r\n\r\n")) {
                                if (text.startsWith("HTTP/1.1 101")) {
                                    conn.open = true;
                                    conn.response = null;
                                    key.attach(null);
                                    key.interestOps(SelectionKey.OP_READ);
                                } else {
                                    failure = "HTTP-" + text.substring(9, Math.min(text.length(), 12));
                                }
                            } else if (!conn.response.hasRemaining()) {
                                failure = "response-too-long";
                            }
                        }
                    }
                } catch (IOException e) {
                    failure = oneWord(e.toString());
                }
                if (conn.open) {
                    opened++;
                    consecutiveFailures = 0;
                    pending.remove(conn);
                } else if (failure != null) {
                    key.cancel();
                    conn.channel.close();
                    failed++;
                    consecutiveFailures++;
                    pending.remove(conn);
                    if (firstFailure.equals("-")) {
                        firstFailure = failure;
                    }
                }
            }
            selector.selectedKeys().clear();
            long now = System.nanoTime();
            for (int i = pending.size() - 1; i >= 0; i--) {
                Conn conn = pending.get(i);
                if (now - conn.startedNanos > HANDSHAKE_TIMEOUT_NANOS) {
                    conn.channel.close();
                    pending.remove(i);
                    failed++;
                    consecutiveFailures++;
                    if (firstFailure.equals("-")) {
                        firstFailure = "handshake-timeout";
                    }
                }
            }
            if (now >= nextProgress) {
                System.out.println("progress " + opened + " " + failed);
                nextProgress = now + TimeUnit.SECONDS.toNanos(1);
            }
        }
        System.out.println("done " + opened + " " + failed + " " + firstFailure);

        // Hold: watch the open sockets for a close (a frame, e.g. a close frame, is read and dropped).
        int open = opened;
        Thread commands = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null && !line.equals("exit"); ) {
                    if (line.equals("status")) {
                        synchronized (closed) {
                            System.out.println("status " + (open - closed[0]) + " " + closed[0]);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the benchmark is gone
            }
            System.exit(0);
        }, "commands");
        commands.setDaemon(true);
        commands.start();
        while (true) {
            selector.select(1_000);
            for (SelectionKey key : selector.selectedKeys()) {
                readOrClose(key, scratch, closed);
            }
            selector.selectedKeys().clear();
        }
    }

    /** Reads and drops what an open socket received; counts and closes it when the server closed it. */
    private static void readOrClose(SelectionKey key, ByteBuffer scratch, int[] closed) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        scratch.clear();
        int read;
        try {
            read = channel.read(scratch);
        } catch (IOException e) {
            read = -1;
        }
        if (read < 0) {
            key.cancel();
            channel.close();
            synchronized (closed) {
                closed[0]++;
            }
        }
    }

    /** 127.0.0.0 plus {@code offset}, across the last three octets (all of 127.0.0.0/8 is loopback). */
    static InetAddress address(int offset) throws IOException {
        int value = (127 << 24) | offset;
        return InetAddress.getByAddress(new byte[]{(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static String oneWord(String text) {
        return text.replaceAll("\\s+", "_");
    }
}
