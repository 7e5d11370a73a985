package org.multiwebsocket.security;

import org.junit.jupiter.api.Test;
import org.multiwebsocket.discovery.Origin;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginPolicyTest {

    private static final Origin HTTPS_NODE = new Origin(true, "h.example.org", "");

    @Test
    void aSameOriginPageMatchesSchemeHostAndPort() {
        assertTrue(OriginPolicy.allows("https://h.example.org", HTTPS_NODE, List.of(), true));
        assertTrue(OriginPolicy.allows("https://H.example.org:443", HTTPS_NODE, List.of(), true));
    }

    @Test
    void anotherSchemeOnTheSamePortIsAnotherOrigin() {
        assertFalse(OriginPolicy.allows("http://h.example.org:443", HTTPS_NODE, List.of(), true));
        assertFalse(OriginPolicy.allows("http://h.example.org", new Origin(true, "h.example.org:80", ""), List.of(), true));
    }

    @Test
    void anotherHostOrPortIsRefusedUnlessListed() {
        assertFalse(OriginPolicy.allows("https://evil.example.org", HTTPS_NODE, List.of(), true));
        assertFalse(OriginPolicy.allows("https://h.example.org:8443", HTTPS_NODE, List.of(), true));
        assertTrue(OriginPolicy.allows("https://evil.example.org", HTTPS_NODE, List.of("https://evil.example.org"), true));
    }

    @Test
    void aMissingOriginPassesOnlyWhenConfiguredTo() {
        assertTrue(OriginPolicy.allows(null, HTTPS_NODE, List.of(), true));
        assertFalse(OriginPolicy.allows(null, HTTPS_NODE, List.of(), false));
    }
}
