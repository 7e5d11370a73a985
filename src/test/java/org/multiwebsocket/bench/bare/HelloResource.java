package org.multiwebsocket.bench.bare;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

/** A plain JAX-RS GET per call, the REST way of saying hello. Benchmark only. */
@Path("hello")
public class HelloResource {

    /** The JAX-RS application of the benchmark WAR. */
    @ApplicationPath("api")
    public static class BareApplication extends Application {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String hello(@QueryParam("name") String name) {
        return "{\"greeting\":\"Hello, " + (name == null ? "World" : name) + "!\"}";
    }
}
