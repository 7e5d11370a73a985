package org.multiwebsocket.transport.http;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.multiwebsocket.discovery.OpenRpc;
import org.multiwebsocket.discovery.Origins;

/** {@code GET /api/openrpc.json}: the OpenRPC document of everything the gateway serves. */
@Path("openrpc.json")
public class OpenRpcResource {

    @Inject
    OpenRpc openRpc;
    @Inject
    Origins requestOrigins;
    @Context
    HttpServletRequest request;

    /** @return the document, never cached, since the services may change and the URLs follow the request */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response document() {
        return Response.ok(openRpc.document(requestOrigins.of(request)).toString())
                .header("Cache-Control", "no-store").build();
    }
}
