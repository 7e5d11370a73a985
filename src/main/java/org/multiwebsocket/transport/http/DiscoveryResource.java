package org.multiwebsocket.transport.http;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.discovery.Discovery;
import org.multiwebsocket.discovery.Origins;

/** {@code GET /api/discover}: which services exist and where the gateway is. */
@Path("discover")
public class DiscoveryResource {

    @Inject
    Origins requestOrigins;
    @Inject
    Discovery discovery;
    @Inject
    JsonSupport json;
    @Context
    HttpServletRequest request;

    /** @return the document; never cached, since it is built from the request */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response discover() {
        return Response.ok(json.toJson(discovery.document(requestOrigins.of(request))))
                .header("Cache-Control", "no-store").build();
    }
}
