package org.multiwebsocket.it.services;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** {@code GET /api/test/explode}: a REST resource that fails, with a text that must never reach the client. */
@Path("test/explode")
public class Explode {

    @GET
    public String explode() {
        throw new IllegalStateException("SECRET-DETAIL database password is hunter2");
    }
}
