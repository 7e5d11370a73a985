package org.multiwebsocket.security;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.multiwebsocket.gateway.Gateway;
import org.multiwebsocket.gateway.GatewayConfig;
import org.multiwebsocket.gateway.Telemetry;
import org.multiwebsocket.http.Requests;
import org.multiwebsocket.service.Caller;
import org.multiwebsocket.service.InvalidTokenException;

import java.io.IOException;
import java.util.Collections;
import java.util.logging.Logger;

/**
 * Vets every WebSocket handshake on {@code /gateway} before the container upgrades it, so that a
 * refused client never gets a frame read: a foreign {@code Origin} gets 403, a refused token 401, a
 * node at its connection limits 503. What it establishes reaches the endpoint as a {@link Handshake}
 * through {@link PendingHandshakes}.
 * Declared in {@code web.xml} so that it runs before the container's own WebSocket filter.
 */
public class HandshakeFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(HandshakeFilter.class.getName());

    @Inject
    OriginPolicy origins;
    @Inject
    Authenticator authenticator;
    @Inject
    Gateway gateway;
    @Inject
    GatewayConfig config;
    @Inject
    PendingHandshakes pending;
    @Inject
    Telemetry telemetry;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        String remote = request.getRemoteAddr();
        String origin = request.getHeader("Origin");
        if (!origins.allows(origin, Requests.origin(request))) {
            LOG.info(() -> "handshake from " + remote + " refused: origin " + printable(origin) + " is not allowed");
            telemetry.events().handshakeRejected("origin");
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
            return;
        }
        if (gateway.openConnections() >= config.maxConnections()
                || gateway.connectionsFrom(remote) >= config.maxConnectionsPerAddress()) {
            LOG.info(() -> "handshake from " + remote + " refused: too many connections");
            telemetry.events().handshakeRejected("limit");
            response.setHeader("Retry-After", "5");
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "too many connections");
            return;
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(request.getHeader("Authorization"),
                    Collections.list(request.getHeaders("Sec-WebSocket-Protocol"))).orElse(null);
        } catch (InvalidTokenException e) {
            LOG.info(() -> "handshake from " + remote + " refused: " + e.getMessage());
            telemetry.events().handshakeRejected("token");
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "invalid token");
            return;
        }
        String key = request.getHeader("Sec-WebSocket-Key");
        if (key != null) {
            pending.put(key, new Handshake(caller, remote, null));
        }
        chain.doFilter(request, response);
    }

    /** A header value fit for a log line. */
    static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        String cut = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        return "'" + cut.replaceAll("[\\p{Cntrl}]", "?") + "'";
    }
}
