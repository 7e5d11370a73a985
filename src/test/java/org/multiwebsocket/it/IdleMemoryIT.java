package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.MicroProcess;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * The heap an idle WebSocket connection costs the node: connections that completed their handshake and
 * sent nothing, measured with the heap after full collections (the test probe), on a node of its own
 * whose per-address limit lets one client open them all. Plain sockets carry the handshakes, so that the
 * client holds nothing but the sockets. The figure is the growth from 2 000 such connections to 4 000:
 * the first ones also grow the container's worker threads, each with buffers of its own (64 KB of
 * Grizzly's), which is not per connection.
 *
 * <p>Most of the figure is the container's (measured with 10 000 connections on Payara Micro 6.2025.10):
 * Grizzly keeps the HTTP request and response of the upgrade (headers, parameters, buffers) for as long as
 * the connection lasts, about 20 KB, as the upgraded connection is read through that suspended request;
 * Tyrus keeps about 2.2 KB, Payara's web container 1.5 KB, its CDI integration 0.5 KB (the upgrade handler
 * is a managed object), the JDK's socket about 0.6 KB; the gateway's own state about 0.55 KB. The bound
 * lies between that (about 27 KB here) and what the gateway cost before it stopped keeping Tyrus's
 * handshake record, a CDI context per endpoint and its per-connection maps (about 31 KB), so that any of
 * them coming back, or a per-connection buffer, fails the test.
 */
class IdleMemoryIT {

    private static final int BATCH = 2_000;
    /** Bytes of heap per idle connection, at most: about 27 200 measured here, about 31 300 before. */
    private static final long MAX_BYTES_PER_CONNECTION = 29 * 1024;

    @Test
    void anIdleConnectionCostsTheNodeAtMost29KiBOfHeap() throws Exception {
        int port = MicroProcess.freePort();
        File war = new File(System.getProperty("java.io.tmpdir"), "idle-memory.war");
        GatewayDeployment.deployment().as(ZipExporter.class).exportTo(war, true);
        List<String> jvm = new ArrayList<>(MicroProcess.FAST_START);
        jvm.add("-Xmx768m");
        jvm.add("-Dmultiwebsocket.max-connections-per-address=5000");
        jvm.add("-Dmultiwebsocket.heartbeat-ms=0");
        jvm.add("-Dmultiwebsocket.warm-up-calls=0");
        try (MicroProcess micro = MicroProcess.start(jvm, List.of("--deploy", war.getAbsolutePath(), "--contextroot", "/",
                "--port", Integer.toString(port), "--nohazelcast", "--disablephonehome"), port)) {
            assertTrue(micro.awaitReady(150), micro.output());
            long none = probe(port, true).getJsonNumber("heapUsed").longValue();
            List<Socket> idle = new ArrayList<>(open(port, BATCH));
            try {
                await().atMost(60, TimeUnit.SECONDS).until(() -> probe(port, false).getInt("connections") == BATCH);
                long first = probe(port, true).getJsonNumber("heapUsed").longValue();
                idle.addAll(open(port, BATCH));
                await().atMost(60, TimeUnit.SECONDS).until(() -> probe(port, false).getInt("connections") == 2 * BATCH);
                long second = probe(port, true).getJsonNumber("heapUsed").longValue();
                long perConnection = (second - first) / BATCH;
                System.out.println("IdleMemoryIT: " + perConnection + " bytes of heap per idle connection from "
                        + BATCH + " to " + 2 * BATCH + " (" + first + " -> " + second + "); "
                        + (first - none) / BATCH + " per connection for the first " + BATCH);
                assertTrue(perConnection <= MAX_BYTES_PER_CONNECTION,
                        perConnection + " bytes of heap per idle connection, more than " + MAX_BYTES_PER_CONNECTION);
            } finally {
                closeAll(idle);
            }
        }
    }

    private static JsonObject probe(int port, boolean gc) throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/rpc"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request(1, "test/probe", "{\"gc\":" + gc + "}"))).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.object(response.body()).getJsonObject("result");
    }

    /** Opens connections that complete the WebSocket handshake and then send nothing. */
    private static List<Socket> open(int port, int count) throws Exception {
        List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        ExecutorService connecting = Executors.newFixedThreadPool(8);
        try {
            List<Future<Socket>> opened = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                opened.add(connecting.submit(() -> handshake(port)));
            }
            for (Future<Socket> socket : opened) {
                sockets.add(socket.get(60, TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            closeAll(sockets);
            throw e;
        } finally {
            connecting.shutdownNow();
        }
        return sockets;
    }

    private static Socket handshake(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("localhost", port), 10_000);
            socket.setSoTimeout(30_000);
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            socket.getOutputStream().write(("GET /gateway HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: multiwebsocket.v1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(socket.getInputStream());
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + head);
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            last = (last << 8) | b;
            if (last == 0x0D0A0D0A) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void closeAll(List<Socket> sockets) {
        synchronized (sockets) {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
