package org.multiwebsocket.http;

import jakarta.servlet.http.HttpServletRequest;
import org.multiwebsocket.discovery.Origin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the HTTP resources need to know about a servlet request. */
public final class Requests {

    private Requests() {
    }

    /**
     * @param request an HTTP request
     * @return where the client reached this node, proxies' forwarded headers honoured
     */
    public static Origin origin(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        return Origin.of(request.getScheme(), host, request.getContextPath(), headers);
    }
}
