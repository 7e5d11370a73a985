package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.client.ClientOptions;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.MicroProcess;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * docker/compose.yaml without Docker: Debian's nginx with docker/nginx.conf in front of two real Payara
 * Micro nodes configured as the compose file configures them, all on loopback.
 */
class ProxyIT {

    private static final String NGINX = System.getProperty("nginx.binary", "/usr/sbin/nginx");

    private static MicroProcess node(String... gatewayUrls) throws Exception {
        int port = MicroProcess.freePort();
        return MicroProcess.start(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-Dmultiwebsocket.gateway-urls=" + String.join(",", gatewayUrls),
                        "-Dmultiwebsocket.http-url=/api/rpc", "-Dmultiwebsocket.heartbeat-ms=1000",
                        "-Dmultiwebsocket.trusted-proxies=127.0.0.1"),
                List.of("--deploy", System.getProperty("multiwebsocket.war", "target/multiwebsocket.war"),
                        "--contextroot", "/", "--port", Integer.toString(port), "--nohazelcast", "--disablephonehome"),
                port);
    }

    @Test
    void aClientThroughTheProxySeesBothNodesAndFailsOverWhenOneStops() throws Exception {
        assertTrue(new File(NGINX).canExecute(), "nginx is needed: apt-get install nginx-light (.ci/run does)");
        try (MicroProcess node1 = node("/node1/gateway", "/node2/gateway");
             MicroProcess node2 = node("/node2/gateway", "/node1/gateway")) {
            assertTrue(node1.awaitReady(150), node1.output());
            assertTrue(node2.awaitReady(150), node2.output());
            int proxyPort = MicroProcess.freePort();
            Process nginx = startNginx(proxyPort, node1.port(), node2.port());
            try {
                String publicBase = "127.0.0.1:" + proxyPort;
                JsonObject document = awaitDiscovery("http://" + publicBase + "/api/discover");
                assertEquals(Set.of("ws://" + publicBase + "/node1/gateway", "ws://" + publicBase + "/node2/gateway"),
                        Set.copyOf(document.getJsonArray("gateways").getValuesAs(JsonString::getString)));
                assertEquals("http://" + publicBase + "/api/rpc", document.getString("http"));

                try (JavaClientIT.SeedClient client = new JavaClientIT.SeedClient("http://" + publicBase + "/api/discover",
                        Map.of(ClientOptions.RECONNECT_INITIAL_DELAY_MS, 100, ClientOptions.RECONNECT_MAX_DELAY_MS, 500))) {
                    JavaClientIT.Events events = new JavaClientIT.Events();
                    client.addListener(events);
                    client.connect().get(15, SECONDS);
                    assertEquals("Hello, World!", client.helloWorld().get(5, SECONDS).asJsonObject().getString("greeting"));
                    String first = servingNode(client);
                    MicroProcess serving = first.equals("/node1/gateway") ? node1 : node2;
                    serving.stop();
                    events.await("disconnected", 15_000);
                    events.await("reconnected", 30_000);
                    assertEquals("Hello, World!", client.helloWorld().get(5, SECONDS).asJsonObject().getString("greeting"));
                    String second = servingNode(client);
                    assertTrue(!second.equals(first), "still on " + first + " after it stopped");
                }
            } finally {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The path of the node a client's socket is on: each node lists itself first in discovery. */
    private static String servingNode(JavaClientIT.SeedClient client) throws Exception {
        JsonObject document = client.callService("rpc.discover", null, JsonObject.class).get(5, SECONDS);
        return URI.create(document.getString("gateway")).getPath();
    }

    private static Process startNginx(int port, int node1, int node2) throws Exception {
        Path prefix = Path.of("target", "nginx").toAbsolutePath();
        Files.createDirectories(prefix.resolve("logs"));
        String config = Files.readString(Path.of("docker", "nginx.conf"))
                .replace("node1:8080", "127.0.0.1:" + node1)
                .replace("node2:8080", "127.0.0.1:" + node2)
                .replace("listen 8080;", "listen 127.0.0.1:" + port + ";");
        Path file = prefix.resolve("nginx.conf");
        Files.writeString(file, config);
        return new ProcessBuilder(NGINX, "-p", prefix + "/", "-c", file.toString(),
                "-g", "daemon off; pid " + prefix.resolve("nginx.pid") + "; error_log stderr;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/nginx.out").toFile()).start();
    }

    private static JsonObject awaitDiscovery(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = await("discovery through nginx at " + url).atMost(Duration.ofSeconds(20))
                    .ignoreExceptionsInstanceOf(java.io.IOException.class) // nginx is still starting
                    .until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
            return Json.object(response.body());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("discovery through nginx never answered at " + url + ": "
                    + Files.readString(Path.of("target", "nginx", "logs", "nginx.out")), e);
        }
    }
}
