package org.multiwebsocket.transport.websocket;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.discovery.Origins;

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
    Origins requestOrigins;
    @Inject
    HandshakeVetting vetting;
    @Inject
    PendingHandshakes pending;
    @Inject
    GatewayConfig config;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String key = request.getHeader("Sec-WebSocket-Key");
        if (key == null && !asksForWebSocket(request)) {
            chain.doFilter(request, response);
            return;
        }
        HandshakeVetting.Verdict verdict = vetting.vet(request.getHeader("Origin"), requestOrigins.of(request),
                request.getHeader("Authorization"), Collections.list(request.getHeaders("Sec-WebSocket-Protocol")),
                requestOrigins.clientAddress(request));
        if (!verdict.accepted()) {
            refuse(response, verdict.status(), verdict.reason());
            return;
        }
        InboundLimit limit = new InboundLimit(config.maxMessageBytes());
        Handshake handshake = verdict.handshake().limitedBy(limit);
        PendingHandshakes.Refusal refusal = pending.put(key, handshake);
        if (refusal != null) {
            switch (refusal) {
                case MALFORMED_KEY -> refuse(response, HttpServletResponse.SC_BAD_REQUEST, "malformed Sec-WebSocket-Key");
                case KEY_IN_USE -> refuse(response, HttpServletResponse.SC_BAD_REQUEST, "Sec-WebSocket-Key already in use");
                case FULL -> refuse(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "too many handshakes in progress");
            }
            return;
        }
        try {
            chain.doFilter(LimitedUpgrade.request(request, limit), response);
        } finally {
            pending.forget(key, handshake);
        }
    }

    /** Whether any {@code Upgrade} token names WebSocket, as the container reads the header (a list). */
    private static boolean asksForWebSocket(HttpServletRequest request) {
        for (String header : Collections.list(request.getHeaders("Upgrade"))) {
            for (String token : header.split(",")) {
                if (token.trim().equalsIgnoreCase("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void refuse(HttpServletResponse response, int status, String reason) throws IOException {
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        } else if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", "5");
        }
        response.sendError(status, reason);
    }
}
