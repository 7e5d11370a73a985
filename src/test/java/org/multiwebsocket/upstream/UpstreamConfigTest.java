package org.multiwebsocket.upstream;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upstream keys: defaults, every key, and one report of every problem. */
class UpstreamConfigTest {

    private static UpstreamConfig.All read(Map<String, String> values) {
        return UpstreamConfig.read(key -> Optional.ofNullable(values.get(key)), 30_000);
    }

    @Test
    void noUpstreamsByDefault() {
        UpstreamConfig.All all = read(Map.of());
        assertEquals(List.of(), all.upstreams());
        assertEquals(60_000, all.reloadMs());
        assertEquals(30_000, all.retryMaxMs());
    }

    @Test
    void twoKeysAreEnough() {
        UpstreamConfig.Settings inventory = read(Map.of("multiwebsocket.upstreams", "inventory",
                "multiwebsocket.upstream.inventory.openapi", "http://localhost:8081/openapi")).upstreams().get(0);
        assertEquals("inventory", inventory.name());
        assertNull(inventory.url());
        assertEquals(Set.of(), inventory.roles());
        assertEquals(30_000, inventory.timeoutMs());
        assertEquals(64, inventory.maxConcurrent());
        assertFalse(inventory.forwardAuthorization());
        assertEquals(5, inventory.failureThreshold());
        assertEquals(10_000, inventory.openMs());
        assertFalse(inventory.required());
    }

    @Test
    void everyKey() {
        UpstreamConfig.All all = read(Map.ofEntries(Map.entry("multiwebsocket.upstreams", "a, b"),
                Map.entry("multiwebsocket.upstream.a.url", "https://api.example.org/v1/"),
                Map.entry("multiwebsocket.upstream.a.openapi", "/openapi"),
                Map.entry("multiwebsocket.upstream.a.include", "tag:items, getItem"),
                Map.entry("multiwebsocket.upstream.a.exclude", "deleteItem"),
                Map.entry("multiwebsocket.upstream.a.roles", "admin,auditor"),
                Map.entry("multiwebsocket.upstream.a.timeout-ms", "2500"),
                Map.entry("multiwebsocket.upstream.a.max-concurrent", "3"),
                Map.entry("multiwebsocket.upstream.a.forward-authorization", "true"),
                Map.entry("multiwebsocket.upstream.a.headers", "X-Api-Key"),
                Map.entry("multiwebsocket.upstream.a.header.X-Api-Key", "s3cret"),
                Map.entry("multiwebsocket.upstream.a.failure-threshold", "2"),
                Map.entry("multiwebsocket.upstream.a.open-ms", "500"),
                Map.entry("multiwebsocket.upstream.a.required", "true"),
                Map.entry("multiwebsocket.upstream.b.openapi", "file:/etc/b.yaml"),
                Map.entry("multiwebsocket.upstream-reload-ms", "0"),
                Map.entry("multiwebsocket.upstream-retry-max-ms", "2000")));
        UpstreamConfig.Settings a = all.upstreams().get(0);
        assertEquals(URI.create("https://api.example.org/v1"), a.url());
        assertEquals(Set.of("tag:items", "getItem"), a.include());
        assertEquals(Set.of("deleteItem"), a.exclude());
        assertEquals(Set.of("admin", "auditor"), a.roles());
        assertEquals(2_500, a.timeoutMs());
        assertEquals(3, a.maxConcurrent());
        assertTrue(a.forwardAuthorization());
        assertEquals(Map.of("X-Api-Key", "s3cret"), a.headers());
        assertEquals(2, a.failureThreshold());
        assertEquals(500, a.openMs());
        assertTrue(a.required());
        assertFalse(a.toString().contains("s3cret"), "a header's value is never printed");
        assertEquals("b", all.upstreams().get(1).name());
        assertEquals(0, all.reloadMs());
        assertEquals(2_000, all.retryMaxMs());
    }

    @Test
    void everyProblemInOneReport() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> read(Map.of(
                "multiwebsocket.upstreams", "a,a,b/c,d",
                "multiwebsocket.upstream.a.url", "ftp://x",
                "multiwebsocket.upstream.a.timeout-ms", "soon",
                "multiwebsocket.upstream.a.headers", "X-Key,Bad Name",
                "multiwebsocket.upstream.d.openapi", "http://h/openapi",
                "multiwebsocket.upstream.d.required", "yes")));
        String report = refused.getMessage();
        assertTrue(report.startsWith("MultiWebsocket cannot start: 8 problem(s) with the upstream configuration:"), report);
        for (String expected : List.of("'a' is listed twice", "'b/c' is not a valid upstream name",
                "multiwebsocket.upstream.a.url must be an http(s) URL", "multiwebsocket.upstream.a.openapi is not set",
                "multiwebsocket.upstream.a.timeout-ms must be a whole number", "multiwebsocket.upstream.a.header.X-Key is not set",
                "'Bad Name' is not a valid header name", "multiwebsocket.upstream.d.required must be true or false")) {
            assertTrue(report.contains(expected), expected + " in " + report);
        }
    }
}
