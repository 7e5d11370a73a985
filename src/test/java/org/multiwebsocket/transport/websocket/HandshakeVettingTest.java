package org.multiwebsocket.transport.websocket;

import org.junit.jupiter.api.Test;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.discovery.Origins;
import org.multiwebsocket.dispatch.Admission;
import org.multiwebsocket.dispatch.Telemetry;
import org.multiwebsocket.security.Authenticator;
import org.multiwebsocket.security.OriginPolicy;
import org.multiwebsocket.spi.GatewayEvents;
import org.multiwebsocket.spi.InvalidTokenException;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one path every handshake is judged on, without a container. */
class HandshakeVettingTest {

    private static final Origin SELF = new Origin(false, "localhost:8080", "");

    private final Admission admission = new Admission(GatewayConfig.of(Map.of()));
    private boolean full;

    private HandshakeVetting vetting() {
        GatewayConfig config = GatewayConfig.of(Map.of());
        HandshakeVetting vetting = new HandshakeVetting();
        vetting.origins = OriginPolicy.of(config);
        vetting.requestOrigins = Origins.of(config);
        vetting.authenticator = Authenticator.of(token -> {
            throw new InvalidTokenException("no tokens here");
        });
        vetting.connections = new Connections() {
            @Override
            boolean full(String remote) {
                return full;
            }
        };
        vetting.admission = admission;
        vetting.telemetry = new Telemetry(GatewayEvents.NONE);
        return vetting;
    }

    @Test
    void aWellBehavedHandshakeIsAccepted() {
        HandshakeVetting.Verdict verdict = vetting().vet("http://localhost:8080", SELF, null, List.of(), "127.0.0.1");
        assertTrue(verdict.accepted());
        assertNull(verdict.handshake().refusal());
    }

    @Test
    void aDrainingNodeRefusesWith503() {
        admission.drain();
        assertEquals(503, vetting().vet(null, SELF, null, List.of(), "127.0.0.1").status());
    }

    @Test
    void aFullNodeRefusesWith503() {
        full = true;
        assertEquals(503, vetting().vet(null, SELF, null, List.of(), "127.0.0.1").status());
    }

    @Test
    void aHostTheGatewayDoesNotAnswerForIsRefusedWith400() {
        Origin rebound = new Origin(false, "rebind.evil:8080", "");
        assertEquals(400, vetting().vet("http://rebind.evil:8080", rebound, null, List.of(), "127.0.0.1").status());
    }

    @Test
    void aForeignOriginIsRefusedWith403AndABadTokenWith401() {
        assertEquals(403, vetting().vet("https://evil.example.org", SELF, null, List.of(), "127.0.0.1").status());
        assertEquals(401, vetting().vet(null, SELF, "Bearer forged", List.of(), "127.0.0.1").status());
    }
}
