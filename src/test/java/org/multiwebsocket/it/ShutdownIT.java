package org.multiwebsocket.it;

import jakarta.websocket.CloseReason;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.it.services.Sleep;
import org.multiwebsocket.testing.MicroProcess;
import org.multiwebsocket.testing.WsClient;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * A server stop (SIGTERM to Payara Micro) drains the gateway: calls in flight get the grace period to
 * finish, then the socket closes with 1001. Payara Micro is started as a process so the test can stop it.
 * (Once Payara has begun to stop the application it delivers no more frames either way, so neither
 * new calls, refused with -32006 elsewhere, nor the answers of drained calls reach the client here.)
 * The call in flight is {@code test/drain}: it runs on for a while after the drain began and reports
 * its steps to a file, which the test reads the moment the socket closes.
 */
class ShutdownIT {

    @Test
    void stoppingTheServerDrainsCallsInFlightThenClosesWith1001() throws Exception {
        File war = new File(System.getProperty("java.io.tmpdir"), "shutdown-test.war");
        GatewayDeployment.productWar().addPackage(Sleep.class.getPackage()).as(ZipExporter.class).exportTo(war, true);
        Path report = Files.createTempFile("shutdown-call", ".txt");
        int port = MicroProcess.freePort();
        try (MicroProcess micro = MicroProcess.start(
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-Dmultiwebsocket.shutdown-grace-ms=4000", "-Dmultiwebsocket.call-timeout-ms=10000"),
                List.of("--deploy", war.getPath(), "--contextroot", "/", "--port", Integer.toString(port),
                        "--nohazelcast", "--disablephonehome"), port)) {
            assertTrue(micro.awaitReady(150), micro.output());
            try (WsClient ws = WsClient.connect(URI.create("ws://localhost:" + port + "/gateway"))) {
                ws.send(request("slow", "test/drain", "{\"report\":" + jakarta.json.Json.createValue(report.toString())
                        + ",\"thenMs\":1500}"));
                await("the call is in flight").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                        .until(() -> Files.readAllLines(report).contains("started"));
                micro.stop();
                CloseReason reason = ws.awaitClose(15_000);
                List<String> steps = Files.readAllLines(report);
                assertEquals(1001, reason.getCloseCode().getCode());
                assertEquals("gateway shutting down", reason.getReasonPhrase());
                assertEquals(List.of("started", "draining", "finished"), steps,
                        "the socket closed before the call in flight could finish");
            }
            assertTrue(micro.awaitExit(60), "Payara Micro did not stop");
        } finally {
            Files.deleteIfExists(report);
        }
    }
}
