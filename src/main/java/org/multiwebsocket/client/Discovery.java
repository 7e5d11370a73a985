package org.multiwebsocket.client;

import jakarta.json.JsonObject;
import org.multiwebsocket.protocol.JsonRpc;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;

/** Discovery: a GET of the gateway's discovery document (PROTOCOL.md section 1). */
final class Discovery {

    private Discovery() {
    }

    /**
     * @throws RetryLater when discovery answered 503 or 429 (with its {@code Retry-After}, if any)
     * @throws IOException when it answered anything but 200 and a JSON object, or not at all
     */
    static Discovered fetch(HttpClient http, Settings settings) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpTransport.request(settings.discovery(), settings.bearerToken(),
                settings.connectTimeoutMs()).header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 503 || status == 429) {
            throw new RetryLater("discovery answered HTTP " + status,
                    RetryLater.millis(response.headers().firstValue("Retry-After").orElse(null)), null);
        }
        if (status != 200) {
            throw new IOException("discovery answered HTTP " + status);
        }
        if (!(JsonRpc.read(response.body()) instanceof JsonObject document)) {
            throw new IOException("discovery answered a document the client cannot read");
        }
        return Discovered.of(document);
    }
}
