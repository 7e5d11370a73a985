package org.multiwebsocket.transport.websocket;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.discovery.Origins;
import org.multiwebsocket.dispatch.Admission;
import org.multiwebsocket.dispatch.ClientLog;
import org.multiwebsocket.dispatch.Telemetry;
import org.multiwebsocket.security.Authenticator;
import org.multiwebsocket.security.OriginPolicy;
import org.multiwebsocket.spi.Caller;
import org.multiwebsocket.spi.InvalidTokenException;

import java.util.List;
import java.util.logging.Level;

/**
 * The one place a WebSocket handshake is judged, shared by the servlet filter (which can answer with
 * an HTTP status before the upgrade) and the endpoint configurator (which sees every upgrade, also on
 * servers whose upgrade bypasses servlet filters). The connection limits themselves are taken
 * atomically when the connection opens ({@link Connections#open}); here they are only looked at, so
 * that a full node can answer 503 before upgrading.
 */
@ApplicationScoped
public class HandshakeVetting {

    private static final ClientLog LOG = new ClientLog(HandshakeVetting.class.getName(), 20);

    @Inject
    OriginPolicy origins;
    @Inject
    Origins requestOrigins;
    @Inject
    Authenticator authenticator;
    @Inject
    Connections connections;
    @Inject
    Admission admission;
    @Inject
    Telemetry telemetry;

    /**
     * A handshake's verdict.
     *
     * @param status    the HTTP status to refuse it with, or 0 when it may proceed
     * @param reason    why it is refused, or null
     * @param handshake what it established, when it may proceed
     */
    record Verdict(int status, String reason, Handshake handshake) {
        boolean accepted() {
            return status == 0;
        }
    }

    /**
     * @param originHeader  the {@code Origin} header, or null
     * @param self          where the request reached this node
     * @param authorization the {@code Authorization} header, or null
     * @param subprotocols  the {@code Sec-WebSocket-Protocol} values as sent
     * @param remote        the client's address, or null when unknown
     * @return the verdict
     */
    Verdict vet(String originHeader, Origin self, String authorization, List<String> subprotocols, String remote) {
        if (!requestOrigins.allowsHost(self)) {
            return refuse(400, "host", "host not allowed", self, null, remote, "host '" + ClientLog.clip(self.host())
                    + "' is not allowed");
        }
        if (!origins.allows(originHeader, self)) {
            return refuse(403, "origin", "origin not allowed", self, null, remote,
                    "origin '" + ClientLog.clip(originHeader) + "' is not allowed");
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(authorization, subprotocols).orElse(null);
        } catch (InvalidTokenException e) {
            return refuse(401, "token", "authentication refused", self, null, remote, ClientLog.clip(e.getMessage()));
        }
        if (admission.isDraining()) {
            return refuse(503, "draining", "gateway shutting down", self, caller, remote, "the gateway is shutting down");
        }
        if (connections.full(remote)) {
            return refuse(503, "limit", "too many connections", self, caller, remote, "too many connections");
        }
        return new Verdict(0, null, new Handshake(self, caller, remote, null));
    }

    /**
     * A refusal. Refused origins and tokens carry their reason in the handshake too, so that a
     * connection the container upgrades anyway is closed with 1008 at once; draining and the limits
     * are checked again, atomically, when the connection opens.
     */
    private Verdict refuse(int status, String metric, String reason, Origin self, Caller caller, String remote,
                           String logged) {
        LOG.log(Level.INFO, () -> "handshake from " + remote + " refused: " + logged);
        telemetry.events().handshakeRejected(metric);
        return new Verdict(status, reason, new Handshake(self, caller, remote, status == 503 ? null : reason));
    }
}
