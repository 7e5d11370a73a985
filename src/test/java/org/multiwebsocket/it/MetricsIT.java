package org.multiwebsocket.it;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * The gateway's metrics as Prometheus scrapes them from Payara's {@code /metrics}: every series of a
 * deployed service exists before its first call, and durations are in the seconds their name says.
 */
class MetricsIT extends GatewayDeployment {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$");

    /** The samples of the application scope, by name and labels as written. */
    private Map<String, Double> scrape() throws Exception {
        URI metrics = URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort() + "/metrics?scope=application");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher sample = SAMPLE.matcher(line.trim());
            if (!line.startsWith("#") && sample.matches()) {
                samples.put(sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)), Double.parseDouble(sample.group(3)));
            }
        }
        return samples;
    }

    private static Double find(Map<String, Double> samples, String name, String... labels) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name + "{") || e.getKey().equals(name))
                .filter(e -> java.util.Arrays.stream(labels).allMatch(e.getKey()::contains))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    @Test
    void everyServiceHasItsSeriesBeforeItsFirstCall() throws Exception {
        Map<String, Double> samples = scrape();
        assertNotNull(find(samples, "multiwebsocket_calls_total", "service=\"test/nothing\"", "outcome=\"ok\""), samples.keySet().toString());
        assertNotNull(find(samples, "multiwebsocket_call_duration_seconds_count", "service=\"test/nothing\""));
        assertNotNull(find(samples, "multiwebsocket_call_duration_seconds_bucket", "service=\"test/nothing\"", "le=\"+Inf\""));
        assertNotNull(find(samples, "multiwebsocket_connections_open"));
        assertNotNull(find(samples, "multiwebsocket_handshakes_rejected_total", "reason=\"origin\""));
    }

    @Test
    void aCallsDurationIsReportedInSeconds() throws Exception {
        Map<String, Double> before = scrape();
        double count0 = find(before, "multiwebsocket_call_duration_seconds_count", "service=\"test/sleep\"");
        double sum0 = find(before, "multiwebsocket_call_duration_seconds_sum", "service=\"test/sleep\"");
        assertEquals(200, post("api/rpc", request(1, "test/sleep", "{\"ms\":300,\"value\":\"x\"}")).statusCode());
        Map<String, Double> after = scrape();
        double calls = find(after, "multiwebsocket_call_duration_seconds_count", "service=\"test/sleep\"") - count0;
        double seconds = find(after, "multiwebsocket_call_duration_seconds_sum", "service=\"test/sleep\"") - sum0;
        assertEquals(1, calls, 0.0);
        assertTrue(seconds >= 0.3 && seconds < 3, "a 300 ms call was reported as " + seconds + " s");
        String sleep = "service=\"test/sleep\"";
        assertEquals(find(before, "multiwebsocket_call_duration_seconds_bucket", sleep, "le=\"0.25\""),
                find(after, "multiwebsocket_call_duration_seconds_bucket", sleep, "le=\"0.25\""),
                "a call of at least 300 ms was counted as at most 0.25 s");
        assertEquals(find(before, "multiwebsocket_call_duration_seconds_bucket", sleep, "le=\"+Inf\"") + 1,
                find(after, "multiwebsocket_call_duration_seconds_bucket", sleep, "le=\"+Inf\""), 0.0);
    }
}
