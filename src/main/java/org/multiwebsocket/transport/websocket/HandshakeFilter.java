package org.multiwebsocket.transport.websocket;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.discovery.RequestOrigin;

import java.io.IOException;
import java.util.Collections;

/**
 * Vets WebSocket handshakes on {@code /gateway} before the container upgrades them, so that a refused
 * client never gets a frame read and learns why from the HTTP status: a foreign {@code Origin} gets
 * 403, a refused token 401, a draining or full node 503 with {@code Retry-After}. What it establishes
 * reaches the endpoint as a {@link Handshake} through {@link PendingHandshakes}. An accepted handshake
 * goes on {@link LimitedUpgrade#request wrapped}, so that the connection's input is held to
 * {@code maxMessageBytes} frame by frame. Declared in {@code web.xml} so that it runs before the
 * container's own WebSocket filter.
 */
public class HandshakeFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    HandshakeVetting vetting;
    @Inject
    PendingHandshakes pending;
    @Inject
    GatewayConfig config;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        HandshakeVetting.Verdict verdict = vetting.vet(request.getHeader("Origin"), RequestOrigin.of(request),
                request.getHeader("Authorization"), Collections.list(request.getHeaders("Sec-WebSocket-Protocol")),
                request.getRemoteAddr());
        if (!verdict.accepted()) {
            if (verdict.status() == HttpServletResponse.SC_UNAUTHORIZED) {
                response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            } else if (verdict.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
                response.setHeader("Retry-After", "5");
            }
            response.sendError(verdict.status(), verdict.reason());
            return;
        }
        InboundLimit limit = new InboundLimit(config.maxMessageBytes());
        String key = request.getHeader("Sec-WebSocket-Key");
        if (key != null) {
            pending.put(key, verdict.handshake().limitedBy(limit));
        }
        chain.doFilter(LimitedUpgrade.request(request, limit), response);
    }
}
