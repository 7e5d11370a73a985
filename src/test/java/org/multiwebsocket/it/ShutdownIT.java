package org.multiwebsocket.it;

import jakarta.websocket.CloseReason;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.it.services.Sleep;
import org.multiwebsocket.testing.MicroProcess;
import org.multiwebsocket.testing.WsClient;

import java.io.File;
import java.net.URI;
import java.util.List;

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
        int port = MicroProcess.freePort();
        try (MicroProcess micro = MicroProcess.start(
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-Dmultiwebsocket.shutdown-grace-ms=4000", "-Dmultiwebsocket.call-timeout-ms=10000"),
                List.of("--deploy", war.getPath(), "--contextroot", "/", "--port", Integer.toString(port),
                        "--nohazelcast", "--disablephonehome"), port)) {
            assertTrue(micro.awaitReady(150), micro.output());
            try (WsClient ws = WsClient.connect(URI.create("ws://localhost:" + port + "/gateway"))) {
                ws.send(request("slow", "test/sleep", "{\"ms\":2500,\"value\":\"finished\"}"));
                Thread.sleep(300);
                long stop = System.nanoTime();
                micro.stop();
                CloseReason reason = ws.awaitClose(15_000);
                long closedAfterMs = (System.nanoTime() - stop) / 1_000_000;
                assertEquals(1001, reason.getCloseCode().getCode());
                assertEquals("gateway shutting down", reason.getReasonPhrase());
                assertTrue(closedAfterMs >= 1_800, "the socket closed after " + closedAfterMs
                        + " ms, before the call in flight could finish");
                assertTrue(closedAfterMs < 7_000, "the drain outlasted its grace: " + closedAfterMs + " ms");
            }
            assertTrue(micro.awaitExit(60), "Payara Micro did not stop");
        }
    }
}
