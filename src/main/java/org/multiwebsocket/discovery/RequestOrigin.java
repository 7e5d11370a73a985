package org.multiwebsocket.discovery;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a servlet request reached this node. */
public final class RequestOrigin {

    private RequestOrigin() {
    }

    /**
     * @param request an HTTP request
     * @return where the client reached this node, proxies' forwarded headers honoured
     */
    public static Origin of(HttpServletRequest request) {
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
