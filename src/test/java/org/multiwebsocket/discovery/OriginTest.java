package org.multiwebsocket.discovery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OriginTest {

    @Test
    void withoutProxyHeadersTheRequestDecides() {
        Origin origin = Origin.of("http", "localhost:8080", "/app", Map.of());
        assertEquals("http://localhost:8080/app", origin.httpBase());
        assertEquals("ws://localhost:8080/app", origin.webSocketBase());
        assertEquals("wss://h", Origin.of("https", "h", "", Map.of()).webSocketBase());
    }

    @Test
    void xForwardedHeadersWinAndOnlyTheirFirstValueCounts() {
        Origin origin = Origin.of("http", "10.0.0.5:8080", "", Map.of(
                "X-Forwarded-Proto", List.of("https, http"), "x-forwarded-host", List.of("gw.example.org, inner")));
        assertEquals("wss://gw.example.org", origin.webSocketBase());
        assertEquals("https://gw.example.org", origin.httpBase());
    }

    @Test
    void theForwardedHeaderWinsOverXForwarded() {
        Origin origin = Origin.of("http", "inner:8080", "/c", Map.of(
                "Forwarded", List.of("for=1.2.3.4;proto=https;host=\"edge:8443\", for=5.6.7.8"),
                "X-Forwarded-Host", List.of("other")));
        assertEquals("wss://edge:8443/c", origin.webSocketBase());
    }

    @Test
    void aHostileForwardedHostIsIgnored() {
        Origin origin = Origin.of("http", "real:8080", "", Map.of("X-Forwarded-Host", List.of("evil.org/path?x=<script>")));
        assertEquals("http://real:8080", origin.httpBase());
    }

    @Test
    void configuredPathsResolveAgainstTheHostTheClientUsed() {
        Origin origin = Origin.of("http", "inner:8080", "/ctx", Map.of("X-Forwarded-Proto", List.of("https"),
                "X-Forwarded-Host", List.of("gw.example.org")));
        assertEquals("wss://gw.example.org/node1/gateway", origin.webSocketUrl("/node1/gateway"));
        assertEquals("https://gw.example.org/api/rpc", origin.httpUrl("/api/rpc"));
        assertEquals("ws://fixed:9000/gateway", origin.webSocketUrl("ws://fixed:9000/gateway"));
    }
}
