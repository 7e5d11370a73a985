package org.multiwebsocket.client;


import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The gateway's HTTP transport (PROTOCOL.md section 7): one POST per call on the client's
 * {@link HttpClient}, asynchronous, so no thread waits for an answer.
 */
final class HttpTransport implements Transport {

    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"rpc.ping\"}";

    private final HttpClient http;
    private final URI endpoint;
    private final String bearerToken;
    private final Listener listener;

    HttpTransport(HttpClient http, URI endpoint, String bearerToken, Listener listener) {
        this.http = http;
        this.endpoint = endpoint;
        this.bearerToken = bearerToken;
        this.listener = listener;
    }

    /** The client's HTTP client: HTTP/1.1, as the JDK client's h2c upgrade of large bodies stalls against Payara. */
    static HttpClient client(long connectTimeoutMs, Executor executor) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofMillis(connectTimeoutMs)).executor(executor).build();
    }

    /** A request with the bearer token, if any. */
    static HttpRequest.Builder request(URI uri, String bearerToken, long timeoutMs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(timeoutMs));
        return bearerToken == null ? request : request.header("Authorization", "Bearer " + bearerToken);
    }

    private HttpRequest post(String body, long timeoutMs) {
        return request(endpoint, bearerToken, timeoutMs).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** @return whether the transport answers {@code rpc.ping} */
    boolean answers(long timeoutMs) throws InterruptedException {
        try {
            return http.send(post(PING, timeoutMs), HttpResponse.BodyHandlers.ofString()).body().contains("pong");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void send(PendingCall<?> call) {
        http.sendAsync(post(call.frame, call.deadlineMs + 1_000), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    String body = error == null ? response.body().stripLeading() : "";
                    if (body.startsWith("{") || body.startsWith("[")) {
                        listener.received(this, body);
                    }
                    listener.failed(call, new ConnectionLostException(error != null ? "the HTTP transport failed"
                            : "the HTTP transport answered " + response.statusCode() + " without an answer to the call", error));
                });
    }

    /** An HTTP call has no connection to cancel it on: its answer is dropped when it comes. */
    @Override
    public void cancel(PendingCall<?> call) {
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
