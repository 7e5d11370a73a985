package org.multiwebsocket.it.inventory;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/** Counts every request the REST application receives, by raw path (the tests check that refused calls sent none). */
@Provider
@PreMatching
public class RequestCounter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        Counters.request(request.getUriInfo().getRequestUri().getRawPath());
    }
}
