package org.multiwebsocket.it.inventory;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The items: create, read, list (by tag, with a limit), replace and delete; 404 and 409 as a REST service answers them. */
@Path("/items")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class Items {

    private static final Map<String, JsonObject> ITEMS = new ConcurrentSkipListMap<>();
    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    @GET
    public JsonValue list(@QueryParam("tag") String tag, @QueryParam("limit") Integer limit) {
        JsonArrayBuilder items = Json.createArrayBuilder();
        ITEMS.values().stream()
                .filter(item -> tag == null || item.getJsonArray("tags") != null
                        && item.getJsonArray("tags").getValuesAs(jakarta.json.JsonString::getString).contains(tag))
                .limit(limit == null ? Long.MAX_VALUE : limit)
                .forEach(items::add);
        return items.build();
    }

    @POST
    public Response create(JsonObject body) {
        String name = body.getString("name");
        String id = "i" + IDS.incrementAndGet();
        if (NAMES.putIfAbsent(name, id) != null) {
            return Response.status(409).entity(Json.createObjectBuilder().add("error", "an item named " + name + " exists")
                    .add("id", NAMES.get(name)).build()).build();
        }
        JsonObject item = Json.createObjectBuilder(body).add("id", id).build();
        ITEMS.put(id, item);
        return Response.status(201).entity(item).build();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        JsonObject item = ITEMS.get(id);
        return item == null ? notFound(id) : Response.ok(item).build();
    }

    @PUT
    @Path("{id}")
    public Response replace(@PathParam("id") String id, JsonObject body) {
        JsonObject old = ITEMS.get(id);
        if (old == null) {
            return notFound(id);
        }
        JsonObject item = Json.createObjectBuilder(body).add("id", id).build();
        NAMES.remove(old.getString("name"));
        NAMES.put(item.getString("name"), id);
        ITEMS.put(id, item);
        return Response.ok(item).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        JsonObject old = ITEMS.remove(id);
        if (old == null) {
            return notFound(id);
        }
        NAMES.remove(old.getString("name"));
        return Response.noContent().build();
    }

    private static Response notFound(String id) {
        return Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", "no such item").add("id", id).build()).build();
    }
}
