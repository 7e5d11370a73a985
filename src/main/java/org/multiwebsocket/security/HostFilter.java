package org.multiwebsocket.security;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.multiwebsocket.discovery.Origins;

import java.io.IOException;

/**
 * Refuses (400) every request addressed to a host the gateway does not answer for
 * ({@code multiwebsocket.allowed-hosts}), before anything else sees it: a DNS-rebinding page, or a
 * client that made up a {@code Host} or a forwarded host, never reaches discovery, the HTTP transport
 * or the socket. Declared first in {@code web.xml}.
 */
public class HostFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    Origins origins;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!origins.allowsHost(origins.of(request))) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "host not allowed");
            return;
        }
        chain.doFilter(request, response);
    }
}
