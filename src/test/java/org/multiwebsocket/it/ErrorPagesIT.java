package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Json;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error status the application answers with a short generic body, JSON when the client asked
 * for it, never an exception, a stack trace or the server's make; and {@code /openapi} describes the
 * gateway's REST endpoints.
 */
class ErrorPagesIT extends GatewayDeployment {

    private static final Pattern LEAK = Pattern.compile(
            "(?i)exception|error report|secret|hunter2|\\.java\\b|\\bat [a-z]+\\.|\\borg\\.[a-z]|\\bcom\\.[a-z]|\\bjava\\.[a-z]"
                    + "|\\bjakarta\\.|payara|glassfish|grizzly|jersey|tyrus|<html|<pre");

    private HttpResponse<String> send(String method, String path, String accept, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, contentType == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rpc.ping\"}"));
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The same error asked for as text, as anything and as JSON: generic every time, JSON when asked. */
    private void assertGeneric(int status, String reason, String method, String path, String contentType) throws Exception {
        for (String accept : new String[]{null, "text/html,application/xhtml+xml,*/*;q=0.8", "application/json"}) {
            HttpResponse<String> response = send(method, path, accept, contentType);
            String what = method + " " + path + " (Accept: " + accept + ") → " + response.statusCode() + " "
                    + response.headers().firstValue("Content-Type").orElse("") + " " + response.body();
            assertEquals(status, response.statusCode(), what);
            assertFalse(LEAK.matcher(response.body()).find(), "leaked internals: " + what);
            assertTrue(response.body().length() < 200, "not short: " + what);
            String type = response.headers().firstValue("Content-Type").orElse("");
            if ("application/json".equals(accept)) {
                assertTrue(type.startsWith("application/json"), what);
                JsonObject error = Json.object(response.body()).getJsonObject("error");
                assertEquals(status, error.getInt("status"), what);
                assertEquals(reason, error.getString("message"), what);
            } else {
                assertTrue(type.startsWith("text/plain"), what);
                assertTrue(response.body().contains(status + " " + reason), what);
            }
        }
    }

    @Test
    void anUnknownPageIs404() throws Exception {
        assertGeneric(404, "Not Found", "GET", "no-such-page.html", null);
    }

    @Test
    void anUnknownRestResourceIs404() throws Exception {
        assertGeneric(404, "Not Found", "GET", "api/no-such-resource", null);
    }

    @Test
    void aWrongMethodIs405() throws Exception {
        assertGeneric(405, "Method Not Allowed", "GET", "api/rpc", null);
        assertGeneric(405, "Method Not Allowed", "PUT", "api/rpc", "application/json");
    }

    @Test
    void aWrongContentTypeIs415() throws Exception {
        assertGeneric(415, "Unsupported Media Type", "POST", "api/rpc", "text/plain");
    }

    @Test
    void aFailingResourceIs500WithoutTheException() throws Exception {
        assertGeneric(500, "Internal Server Error", "GET", "api/test/explode", null);
    }

    @Test
    void openApiDescribesTheRestEndpoints() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("").resolve("/openapi"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("/api/rpc"), response.body());
        assertTrue(response.body().contains("/api/discover"), response.body());
        assertFalse(LEAK.matcher(response.body()).find(), response.body());
    }
}
