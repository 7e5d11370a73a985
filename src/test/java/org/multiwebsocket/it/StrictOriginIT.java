package org.multiwebsocket.it;

import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.MicroProcess;
import org.multiwebsocket.testing.RawWebSocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * A gateway configured to refuse clients that send no {@code Origin}
 * ({@code multiwebsocket.allow-missing-origin=false}) refuses them on every transport.
 */
class StrictOriginIT {

    @Test
    void clientsWithoutAnOriginAreRefusedOnTheSocketAndOverHttp() throws Exception {
        int port = MicroProcess.freePort();
        List<String> jvm = new ArrayList<>(MicroProcess.FAST_START);
        jvm.add("-Dmultiwebsocket.allow-missing-origin=false");
        try (MicroProcess micro = MicroProcess.start(jvm, List.of("--deploy",
                System.getProperty("multiwebsocket.war", "target/multiwebsocket.war"), "--contextroot", "/",
                "--port", Integer.toString(port), "--nohazelcast", "--disablephonehome"), port)) {
            assertTrue(micro.awaitReady(150), micro.output());
            String self = "http://localhost:" + port;
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest.Builder call = HttpRequest.newBuilder(URI.create(self + "/api/rpc")).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request(1, "helloworld", "{\"name\":\"Ada\"}")));
            assertEquals(403, http.send(call.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> sameOrigin = http.send(call.header("Origin", self).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, sameOrigin.statusCode(), sameOrigin.body());
            try (RawWebSocket socket = new RawWebSocket(URI.create("ws://localhost:" + port + "/gateway"), Map.of())) {
                assertEquals(403, socket.status(), socket.handshakeResponse());
            }
        }
    }
}
