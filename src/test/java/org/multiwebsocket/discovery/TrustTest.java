package org.multiwebsocket.discovery;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustTest {

    @Test
    void addressRangesMatchAddressesAndCidrsOfBothFamilies() {
        AddressRanges ranges = AddressRanges.parse(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8", "::1"), "key");
        assertTrue(ranges.contains("127.0.0.1"));
        assertTrue(ranges.contains("10.200.3.4"));
        assertTrue(ranges.contains("fd12:3456::1"));
        assertTrue(ranges.contains("0:0:0:0:0:0:0:1"));
        assertTrue(ranges.contains("[::1]"));
        assertFalse(ranges.contains("127.0.0.2"));
        assertFalse(ranges.contains("11.0.0.1"));
        assertFalse(ranges.contains("fe80::1"));
        assertFalse(ranges.contains("not-an-address"));
        assertFalse(ranges.contains(null));
    }

    @Test
    void addressRangesRefuseNamesAndBadPrefixesNamingTheEntry() {
        IllegalStateException name = assertThrows(IllegalStateException.class,
                () -> AddressRanges.parse(List.of("proxy.example.org"), "multiwebsocket.trusted-proxies"));
        assertTrue(name.getMessage().contains("'proxy.example.org'"), name.getMessage());
        assertThrows(IllegalStateException.class, () -> AddressRanges.parse(List.of("10.0.0.0/33"), "k"));
        assertThrows(IllegalStateException.class, () -> AddressRanges.parse(List.of("10.0.0.0/x"), "k"));
    }

    @Test
    void noTrustedProxyMeansNoAddressIsTrusted() {
        assertFalse(AddressRanges.parse(List.of(), "k").contains("127.0.0.1"));
    }

    @Test
    void allowedHostsDefaultToThisMachineOnAnyPort() {
        AllowedHosts hosts = new AllowedHosts(List.of(), List.of());
        assertTrue(hosts.allows("localhost"));
        assertTrue(hosts.allows("localhost:8080"));
        assertTrue(hosts.allows("127.0.0.1:1234"));
        assertTrue(hosts.allows("[::1]:8080"));
        assertFalse(hosts.allows("rebind.evil:8080"));
        assertFalse(hosts.allows("localhost.evil"));
        assertFalse(hosts.allows(""));
        assertFalse(hosts.allows(null));
    }

    @Test
    void allowedHostsTakeConfiguredNamesPortsAndPublicUrls() {
        AllowedHosts hosts = new AllowedHosts(List.of("gw.example.org", "edge.example.org:8443"),
                List.of("wss://public.example.org/gateway", "/node1/gateway"));
        assertTrue(hosts.allows("GW.example.org:443"));
        assertTrue(hosts.allows("edge.example.org:8443"));
        assertFalse(hosts.allows("edge.example.org:9999"));
        assertTrue(hosts.allows("public.example.org"));
        assertFalse(hosts.allows("localhost"), "configured hosts replace the defaults");
        assertTrue(new AllowedHosts(List.of("*"), List.of()).allows("anything:1"));
    }
}
