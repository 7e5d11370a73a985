package org.multiwebsocket.upstream;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where an upstream's OpenAPI document is, and the base URL its operations are called at. The document is
 * fetched only from the configured location; when no base URL is configured it is the document's first
 * server, but on the document's own scheme, host and port (only the server's path is taken), so that a
 * document can never send calls to another host.
 */
final class DocumentSource {

    /** Largest document read. */
    static final long MAX_DOCUMENT_BYTES = 16L << 20;

    private final UpstreamConfig.Settings settings;
    private final URI url;
    private final Path file;

    DocumentSource(UpstreamConfig.Settings settings) {
        this.settings = settings;
        String location = settings.openapi();
        String lower = location.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            url = URI.create(location);
            file = null;
        } else if (lower.startsWith("file:")) {
            url = null;
            file = Path.of(URI.create(location));
        } else if (settings.url() != null) {
            url = URI.create(settings.url() + "/").resolve(location.startsWith("/") ? location : location);
            file = null;
        } else {
            url = null;
            file = Path.of(location);
        }
    }

    /** @return where the document is read from, for messages */
    String location() {
        return url != null ? url.toString() : file.toString();
    }

    /**
     * Reads the document.
     *
     * @param client the upstream's HTTP client
     * @return its text
     * @throws IOException when it cannot be read
     */
    String read(HttpClient client) throws IOException, InterruptedException {
        if (file != null) {
            if (Files.size(file) > MAX_DOCUMENT_BYTES) {
                throw new IOException(file + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofMillis(Math.max(settings.timeoutMs(), 5_000)))
                        .header("Accept", "application/yaml, application/json;q=0.9, */*;q=0.8").GET().build(),
                BoundedBody.handler(MAX_DOCUMENT_BYTES));
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /**
     * @param serverUrl the document's first server URL, if it has one
     * @return the base URL of the operations, without a trailing slash
     * @throws IllegalStateException when there is none to be had
     */
    URI base(Optional<String> serverUrl) {
        if (settings.url() != null) {
            return settings.url();
        }
        URI server = serverUrl.map(String::trim).filter(s -> !s.isEmpty() && !s.contains("{")).map(URI::create).orElse(null);
        String path;
        if (url != null) {
            path = server == null ? "" : url.resolve(server).getRawPath();
            URI origin = URI.create(url.getScheme() + "://" + url.getRawAuthority());
            return trim(URI.create(origin + (path == null ? "" : path)));
        }
        if (server != null && server.isAbsolute() && server.getHost() != null
                && ("http".equalsIgnoreCase(server.getScheme()) || "https".equalsIgnoreCase(server.getScheme()))) {
            return trim(URI.create(server.getScheme() + "://" + server.getRawAuthority() + server.getRawPath()));
        }
        throw new IllegalStateException("the document is a file without an absolute http(s) server URL: set "
                + UpstreamConfig.PREFIX + settings.name() + "." + UpstreamConfig.URL);
    }

    private static URI trim(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }
}
