package org.multiwebsocket.it.inventory;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Operations that show what arrived, answer a chosen status, or plain text; the counters; the OpenAPI
 * document and the switch that changes it ({@link Document}).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class Debug {

    @GET
    @Path("echo/{value}")
    public JsonObject echo(@PathParam("value") String value, @Context UriInfo uri, @Context HttpHeaders headers) {
        JsonObjectBuilder query = Json.createObjectBuilder();
        uri.getQueryParameters().forEach((name, values) -> query.add(name, Json.createArrayBuilder(values)));
        return Json.createObjectBuilder()
                .add("value", value)
                .add("rawPath", uri.getRequestUri().getRawPath())
                .add("rawQuery", uri.getRequestUri().getRawQuery() == null ? "" : uri.getRequestUri().getRawQuery())
                .add("query", query)
                .add("note", String.valueOf(headers.getHeaderString("X-Note")))
                .add("authorization", String.valueOf(headers.getHeaderString("Authorization")))
                .add("apiKey", String.valueOf(headers.getHeaderString("X-Api-Key")))
                .add("traceparent", String.valueOf(headers.getHeaderString("traceparent")))
                .build();
    }

    @GET
    @Path("stats")
    public JsonObject stats() {
        return Counters.json();
    }

    @GET
    @Path("text")
    @Produces(MediaType.TEXT_PLAIN)
    public String text() {
        return "plain text";
    }

    @GET
    @Path("fail")
    public Response fail(@QueryParam("status") int status) {
        return Response.status(status).entity(Json.createObjectBuilder().add("failed", status).build()).build();
    }

    @GET
    @Path("openapi.yaml")
    @Produces("application/yaml")
    public String document() {
        return Document.text();
    }

    @POST
    @Path("admin/document/{variant}")
    @Produces(MediaType.TEXT_PLAIN)
    public String switchDocument(@PathParam("variant") String variant) {
        Document.switchTo(variant);
        return variant;
    }

    @GET
    @Path("count")
    public JsonObject count() {
        return Json.createObjectBuilder().add("count", new Items().list(null, null).asJsonArray().size()).build();
    }
}
