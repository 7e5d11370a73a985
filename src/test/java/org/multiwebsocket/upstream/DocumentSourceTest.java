package org.multiwebsocket.upstream;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where the document is read from, and which base URL the operations are called at: never another host. */
class DocumentSourceTest {

    private static DocumentSource source(String url, String openapi) {
        return new DocumentSource(new UpstreamConfig.Settings("u", url == null ? null : URI.create(url), openapi, Set.of(),
                Set.of(), Set.of(), 1_000, 1, false, Map.of(), 1, 1, false));
    }

    @Test
    void theDocumentsLocation() {
        assertEquals("http://h:1/openapi", source("http://h:1/inventory/api", "/openapi").location());
        assertEquals("http://h:1/inventory/openapi.yaml", source("http://h:1/inventory", "openapi.yaml").location());
        assertEquals("https://docs/o.json", source("http://h:1/api", "https://docs/o.json").location());
        assertEquals("/etc/o.yaml", source(null, "file:/etc/o.yaml").location());
        assertEquals("o.yaml", source(null, "o.yaml").location());
    }

    @Test
    void theConfiguredBaseUrlWins() {
        assertEquals(URI.create("http://h:1/api"), source("http://h:1/api", "/openapi").base(Optional.of("http://evil/x")));
    }

    @Test
    void withoutOneTheServersPathOnTheDocumentsHost() {
        DocumentSource source = source(null, "http://h:1/openapi");
        assertEquals(URI.create("http://h:1/inventory/api"), source.base(Optional.of("/inventory/api/")));
        assertEquals(URI.create("http://h:1/inventory/api"), source.base(Optional.of("http://localhost:8080/inventory/api")));
        assertEquals(URI.create("http://h:1/inventory/api"), source.base(Optional.of("http://evil.example/inventory/api")));
        assertEquals(URI.create("http://h:1"), source.base(Optional.empty()));
        assertEquals(URI.create("http://h:1/v2"), source(null, "http://h:1/docs/openapi").base(Optional.of("../v2")));
    }

    @Test
    void aFileNeedsAnAbsoluteServerOrTheUrlKey() {
        assertEquals(URI.create("https://api.example.org/v1"), source(null, "file:/etc/o.yaml")
                .base(Optional.of("https://api.example.org/v1/")));
        assertThrows(IllegalStateException.class, () -> source(null, "file:/etc/o.yaml").base(Optional.of("/v1")));
    }
}
