package org.multiwebsocket.transport.http;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.discovery.Discovery;
import org.multiwebsocket.discovery.RequestOrigin;

/** {@code GET /api/discover}: which services exist and where the gateway is. */
@Path("discover")
public class DiscoveryResource {

    @Inject
    Discovery discovery;
    @Inject
    JsonSupport json;
    @Context
    HttpServletRequest request;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String discover() {
        return json.toJson(discovery.document(RequestOrigin.of(request)));
    }
}
