package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.MicroProcess;
import org.multiwebsocket.testing.WsClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * The Dockerfile's command line, run as it is against the built WAR: its ENTRYPOINT's shell script
 * (which picks the collector and execs java) with its CMD's arguments. Only the container's paths are
 * mapped to target/, this JDK put first on the PATH, and the port changed to a free one. The script's
 * fallback to G1 is {@code DockerEntryPointTest}'s.
 */
class DockerCommandIT {

    private static boolean shenandoahIn(String javaBin) throws Exception {
        Process probe = new ProcessBuilder(Path.of(javaBin, "java").toString(), "-XX:+UseShenandoahGC", "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "java -version did not end");
        return probe.exitValue() == 0;
    }

    @Test
    void theDockerfileCommandServesTheGatewayAtTheRoot() throws Exception {
        List<String> dockerfile = Files.readAllLines(Path.of("docker", "Dockerfile"));
        String cmd = dockerfile.stream().filter(line -> line.startsWith("CMD ")).findFirst().orElseThrow().substring(4);
        List<String> entrypoint = Json.array(dockerfile.stream().filter(line -> line.startsWith("ENTRYPOINT "))
                .findFirst().orElseThrow().substring(11)).getValuesAs(jakarta.json.JsonString::getString);
        assertEquals(List.of("/bin/sh", "-c"), entrypoint.subList(0, 2), "the entry point is a shell script that picks the collector");
        String script = entrypoint.get(2);
        assertTrue(script.contains("exec java ") && script.endsWith("-jar /opt/payara/payara-micro.jar \"$@\""), script);
        String jar = Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")).toAbsolutePath().toString();
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "PATH='" + javaBin + "':\"$PATH\"; " + script.replace("/opt/payara/payara-micro.jar", "'" + jar + "'")));
        command.addAll(entrypoint.subList(3, entrypoint.size()));
        List<String> arguments = new ArrayList<>(Json.array(cmd).getValuesAs(jakarta.json.JsonString::getString));
        int port = MicroProcess.freePort();
        for (int i = 0; i < arguments.size(); i++) {
            if (arguments.get(i).equals("/opt/payara/deployments/multiwebsocket.war")) {
                arguments.set(i, System.getProperty("multiwebsocket.war", "target/multiwebsocket.war"));
            }
            if (arguments.get(i).equals("--port")) {
                assertEquals("8080", arguments.get(i + 1), "the image exposes 8080");
                arguments.set(i + 1, Integer.toString(port));
            }
        }
        assertTrue(arguments.containsAll(List.of("--contextroot", "/")), "the WAR must be deployed at /: " + arguments);
        command.addAll(arguments);
        try (MicroProcess micro = MicroProcess.run(command, port)) {
            assertTrue(micro.awaitReady(150), micro.output());
            List<String> jvm = List.of(Files.readString(Path.of("/proc", Long.toString(micro.pid()), "cmdline")).split("\0"));
            boolean shenandoah = shenandoahIn(javaBin);
            Path executable = Files.readSymbolicLink(Path.of("/proc", Long.toString(micro.pid()), "exe"));
            assertTrue(executable.getFileName().toString().equals("java"), "the script execs java, which takes its process: "
                    + executable + " " + jvm);
            assertTrue(jvm.contains("-XX:MaxRAMPercentage=75.0"), jvm.toString());
            assertEquals(shenandoah, jvm.contains("-XX:+UseShenandoahGC"), "Shenandoah where this JDK has it: " + jvm);
            assertEquals(!shenandoah, jvm.contains("-XX:+UseG1GC"), "else G1: " + jvm);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/api/discover")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, discovery.statusCode(), discovery.body());
            JsonObject document = Json.object(discovery.body());
            assertEquals("ws://localhost:" + port + "/gateway", document.getString("gateway"));
            assertTrue(document.getJsonObject("services").keySet().containsAll(List.of("helloworld", "autocomplete")));
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("UP", Json.object(ready.body()).getString("status"));
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(page.body().contains("MultiWebsocket"), "the demo page is not served at /");
            try (WsClient ws = WsClient.connect(URI.create(document.getString("gateway")))) {
                assertEquals("Hello, Ada!", ws.call(request(1, "helloworld", "{\"name\":\"Ada\"}"))
                        .getJsonObject("result").getString("greeting"));
            }

            String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/rpc"))
                    .header("Content-Type", "application/json").header("traceparent", trace)
                    .POST(HttpRequest.BodyPublishers.ofString(request("bad", "autocomplete", "{\"query\":\"\"}"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitLog(micro, "call \"bad\" to autocomplete on http connection ");
            String failed = micro.output().lines().filter(l -> l.contains("call \"bad\" to autocomplete")).findFirst().orElseThrow();
            assertTrue(failed.contains("failed: -32602 Invalid params") && failed.contains("traceparent=" + trace), failed);
            assertFalse(failed.contains("\"query\""), "a payload was logged: " + failed);
            awaitLog(micro, " closed: 1000");

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/metrics?scope=application")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("multiwebsocket_calls_total{mp_scope=\"application\",outcome=\"ok\",service=\"helloworld\"} 1.0"),
                    metrics.body());
            assertTrue(metrics.body().contains("outcome=\"-32602\",service=\"autocomplete\"} 1.0"), metrics.body());
            assertTrue(metrics.body().contains("multiwebsocket_connections_open{mp_scope=\"application\"} 0"), metrics.body());
            assertTrue(metrics.body().contains("multiwebsocket_call_duration_seconds_count"), metrics.body());
            assertFalse(metrics.body().contains("warm-up"), "the startup warm-up must not show in the metrics");
        }
    }

    private static void awaitLog(MicroProcess micro, String text) {
        await("a log line with '" + text + "'").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> micro.output().contains(text));
    }
}
