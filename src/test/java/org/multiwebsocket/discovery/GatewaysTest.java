package org.multiwebsocket.discovery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GatewaysTest {

    private static final Origin ORIGIN = new Origin(false, "gw.example.org", "");

    @Test
    void aSingleNodeListsItselfAsTheClientReachedIt() {
        assertEquals(List.of("ws://gw.example.org/gateway"), Discovery.gateways(List.of(), Optional.empty(), List.of(), ORIGIN));
    }

    @Test
    void theConfiguredGatewaysComeFirstThenTheAnnouncedOnesEachOnce() {
        assertEquals(List.of("ws://gw.example.org/node1/gateway", "ws://gw.example.org/node2/gateway",
                        "ws://other:8080/gateway"),
                Discovery.gateways(List.of("/node1/gateway", "/node2/gateway"), Optional.of("/node1/gateway"),
                        List.of("/node2/gateway", "ws://other:8080/gateway", "/node1/gateway"), ORIGIN));
    }

    @Test
    void withoutConfiguredGatewaysThisNodeComesFirstThenTheMembersInTheirOrder() {
        assertEquals(List.of("ws://gw.example.org/node2/gateway", "ws://gw.example.org/node1/gateway",
                        "ws://gw.example.org/node3/gateway"),
                Discovery.gateways(List.of(), Optional.of("/node2/gateway"),
                        List.of("/node1/gateway", "/node2/gateway", "/node3/gateway"), ORIGIN));
    }

    @Test
    void aNodeThatAnnouncesNothingStillListsItselfFirst() {
        assertEquals(List.of("ws://gw.example.org/gateway", "ws://gw.example.org/node1/gateway"),
                Discovery.gateways(List.of(), Optional.empty(), List.of("/node1/gateway"), ORIGIN));
    }
}
