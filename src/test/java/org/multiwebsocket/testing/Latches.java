package org.multiwebsocket.testing;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The test's side of the {@code test/latch} service: reads what the calls on a key did and opens the
 * key, over the HTTP transport, so the socket under test never sees these frames. Every wait is
 * bounded (5 seconds unless told otherwise).
 */
public final class Latches {

    public static final Duration WAIT = Duration.ofSeconds(5);

    private static final AtomicLong IDS = new AtomicLong();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI rpc;

    /** @param rpc the gateway's HTTP transport, {@code .../api/rpc} */
    public Latches(URI rpc) {
        this.rpc = rpc;
    }

    /** A key no other test uses. */
    public static String key(String name) {
        return name + "-" + UUID.randomUUID();
    }

    /** The params of a {@code test/latch} call that waits on the key at most {@code maxMs}. */
    public static String params(String key, long maxMs) {
        return "{\"key\":\"" + key + "\",\"maxMs\":" + maxMs + "}";
    }

    /** The params of {@code test/latch/state} and {@code test/latch/open}. */
    public static String keyParams(String key) {
        return "{\"key\":\"" + key + "\"}";
    }

    /** {@code {"started":n,"finished":n,"interrupted":n,"open":0|1}} for the key. */
    public JsonObject state(String key) throws IOException, InterruptedException {
        return call("test/latch/state", key).getJsonObject("result");
    }

    public int started(String key) throws IOException, InterruptedException {
        return state(key).getInt("started");
    }

    public int finished(String key) throws IOException, InterruptedException {
        return state(key).getInt("finished");
    }

    public int interrupted(String key) throws IOException, InterruptedException {
        return state(key).getInt("interrupted");
    }

    /** Lets the calls waiting on the key finish. */
    public void open(String key) throws IOException, InterruptedException {
        call("test/latch/open", key);
    }

    /** Waits until a handler on the key has started (it is running, or has run). */
    public void awaitStarted(String key) {
        await("a handler on " + key + " started").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> started(key) >= 1);
    }

    /** Waits until a handler on the key has returned normally. */
    public void awaitFinished(String key) {
        await("a handler on " + key + " finished").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> finished(key) >= 1);
    }

    /** Waits until a handler on the key was interrupted. */
    public void awaitInterrupted(String key, Duration atMost) {
        await("a handler on " + key + " was interrupted").atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> interrupted(key) >= 1);
    }

    private JsonObject call(String method, String key) throws IOException, InterruptedException {
        String body = Json.request(IDS.incrementAndGet(), method, keyParams(key));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(rpc).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), method + ": " + response.body());
        JsonObject answer = Json.object(response.body());
        if (!answer.containsKey("result")) {
            throw new AssertionError(method + " failed: " + answer);
        }
        return answer;
    }
}
