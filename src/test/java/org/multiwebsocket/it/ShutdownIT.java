package org.multiwebsocket.it;

import jakarta.websocket.CloseReason;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.it.services.Sleep;
import org.multiwebsocket.testing.WsClient;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * A server stop (SIGTERM to Payara Micro) drains the gateway: calls in flight get the grace period to
 * finish, then the socket closes with 1001. Payara Micro is started as a process so the test can stop it.
 * (Once Payara has begun to stop the application it delivers no more frames either way, so neither
 * new calls, refused with -32006 elsewhere, nor the answers of drained calls reach the client here.)
 */
class ShutdownIT {

    @Test
    void stoppingTheServerDrainsCallsInFlightThenClosesWith1001() throws Exception {
        File war = new File(System.getProperty("java.io.tmpdir"), "shutdown-test.war");
        GatewayDeployment.productWar().addPackage(Sleep.class.getPackage()).as(ZipExporter.class).exportTo(war, true);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process micro = new ProcessBuilder(System.getProperty("java.home") + "/bin/java",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dmultiwebsocket.shutdown-grace-ms=4000",
                "-Dmultiwebsocket.call-timeout-ms=10000",
                "-jar", System.getProperty("payara.microJar", "target/payara-micro.jar"),
                "--deploy", war.getPath(), "--contextroot", "/", "--port", Integer.toString(port),
                "--nohazelcast", "--disablephonehome").redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(micro.getInputStream(), StandardCharsets.UTF_8))) {
                boolean seen = false;
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (!seen && line.contains("Payara Micro") && line.contains("ready in")) {
                        seen = true;
                        synchronized (log) {
                            log.notifyAll();
                        }
                    }
                }
                return seen;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            synchronized (log) {
                while (!log.toString().contains("ready in") && System.nanoTime() < end && !ready.isDone()) {
                    log.wait(1_000);
                }
            }
            assertTrue(log.toString().contains("ready in"), log.toString());
            try (WsClient ws = WsClient.connect(URI.create("ws://localhost:" + port + "/gateway"))) {
                ws.send(request("slow", "test/sleep", "{\"ms\":2500,\"value\":\"finished\"}"));
                Thread.sleep(300);
                long stop = System.nanoTime();
                micro.destroy();
                CloseReason reason = ws.awaitClose(15_000);
                long closedAfterMs = (System.nanoTime() - stop) / 1_000_000;
                assertEquals(1001, reason.getCloseCode().getCode());
                assertEquals("gateway shutting down", reason.getReasonPhrase());
                assertTrue(closedAfterMs >= 1_800, "the socket closed after " + closedAfterMs
                        + " ms, before the call in flight could finish");
                assertTrue(closedAfterMs < 7_000, "the drain outlasted its grace: " + closedAfterMs + " ms");
            }
            assertTrue(micro.waitFor(60, TimeUnit.SECONDS), "Payara Micro did not stop");
        } finally {
            micro.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }
}
