package org.multiwebsocket.discovery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.Protocol;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.registry.Handler;
import org.multiwebsocket.registry.Schemas;
import org.multiwebsocket.registry.ServiceHandler;
import org.multiwebsocket.registry.ServiceRegistry;
import org.multiwebsocket.registry.TopicDefinition;

import java.util.List;
import java.util.Map;

/**
 * The OpenRPC 1.3 document of everything the gateway serves (served at {@code GET /api/openrpc.json}):
 * every service with the JSON Schemas of its params and result (generated from a bean's Java types,
 * with its Bean Validation constraints; taken from an upstream's OpenAPI document), the errors it can
 * answer, and the extensions {@code x-stream}, {@code x-roles}, {@code x-upstream} and {@code x-topics}.
 * The methods are worked out again only when the services change.
 */
@ApplicationScoped
public class OpenRpc {

    /** The errors every call may answer, by name, with their codes and messages. */
    private static final Map<String, RpcError> ERRORS = Map.ofEntries(
            Map.entry("InvalidParams", new RpcError(RpcError.INVALID_PARAMS, "Invalid params", null)),
            Map.entry("InternalError", new RpcError(RpcError.INTERNAL_ERROR, "Internal error", null)),
            Map.entry("Unauthenticated", new RpcError(RpcError.UNAUTHENTICATED, "Unauthenticated", null)),
            Map.entry("Forbidden", new RpcError(RpcError.FORBIDDEN, "Forbidden", null)),
            Map.entry("Timeout", new RpcError(RpcError.TIMEOUT, "Timeout", null)),
            Map.entry("Overloaded", new RpcError(RpcError.OVERLOADED, "Overloaded", null)),
            Map.entry("Cancelled", new RpcError(RpcError.CANCELLED, "Cancelled", null)),
            Map.entry("Unavailable", new RpcError(RpcError.UNAVAILABLE, "Unavailable", null)));
    private static final List<String> EVERY_CALL = List.of("InvalidParams", "InternalError", "Timeout", "Overloaded",
            "Cancelled", "Unavailable");

    @Inject
    ServiceRegistry services;

    private volatile long version = -1;
    private volatile JsonValue methods;
    private volatile JsonObject schemas = JsonValue.EMPTY_JSON_OBJECT;

    /**
     * @param origin where the client reached this node
     * @return the document
     */
    public JsonObject document(Origin origin) {
        JsonObjectBuilder errors = JsonRpc.JSON.createObjectBuilder();
        ERRORS.forEach((name, error) -> errors.add(name, JsonRpc.JSON.createObjectBuilder()
                .add("code", error.code()).add("message", error.message())));
        JsonObjectBuilder topics = JsonRpc.JSON.createObjectBuilder();
        services.topics().forEach((name, topic) -> topics.add(name, topic(topic)));
        return JsonRpc.JSON.createObjectBuilder()
                .add("openrpc", "1.3.2")
                .add("info", JsonRpc.JSON.createObjectBuilder().add("title", "MultiWebsocket gateway")
                        .add("version", "1")
                        .add("description", "JSON-RPC 2.0 over one WebSocket (subprotocol " + Protocol.SUBPROTOCOL
                                + ") or HTTP; see PROTOCOL.md"))
                .add("servers", JsonRpc.JSON.createArrayBuilder()
                        .add(JsonRpc.JSON.createObjectBuilder().add("name", "websocket")
                                .add("url", origin.webSocketBase() + Protocol.GATEWAY_PATH))
                        .add(JsonRpc.JSON.createObjectBuilder().add("name", "http")
                                .add("url", origin.httpBase() + Protocol.HTTP_PATH)))
                .add("methods", methods())
                .add("components", JsonRpc.JSON.createObjectBuilder().add("errors", errors).add("schemas", schemas))
                .add("x-topics", topics)
                .build();
    }

    private JsonValue methods() {
        long current = services.version();
        if (current != version || methods == null) {
            JsonArrayBuilder all = JsonRpc.JSON.createArrayBuilder();
            JsonObjectBuilder definitions = JsonRpc.JSON.createObjectBuilder();
            services.handlers().forEach((name, handler) -> all.add(method(name, handler, definitions)));
            methods = all.build();
            schemas = definitions.build();
            version = current;
        }
        return methods;
    }

    private static JsonObject method(String name, Handler handler, JsonObjectBuilder definitions) {
        Handler.Listing listing = handler.listing();
        JsonObject params = components(handler instanceof ServiceHandler bean ? Schemas.params(bean.definition())
                : listing.params(), definitions);
        JsonObject result = components(handler instanceof ServiceHandler bean ? Schemas.result(bean.definition())
                : JsonValue.EMPTY_JSON_OBJECT, definitions);
        JsonObjectBuilder method = JsonRpc.JSON.createObjectBuilder().add("name", name)
                .add("paramStructure", "by-name");
        if (listing.description() != null && !listing.description().isEmpty()) {
            method.add("summary", listing.description());
        }
        JsonArrayBuilder descriptors = JsonRpc.JSON.createArrayBuilder();
        if (params != null && params.get("properties") instanceof JsonObject properties) {
            List<String> required = params.containsKey("required")
                    ? params.getJsonArray("required").getValuesAs(v -> ((jakarta.json.JsonString) v).getString()) : List.of();
            properties.forEach((property, schema) -> descriptors.add(JsonRpc.JSON.createObjectBuilder()
                    .add("name", property).add("schema", schema).add("required", required.contains(property))));
        }
        method.add("params", descriptors);
        method.add("result", JsonRpc.JSON.createObjectBuilder().add("name", listing.stream() ? "item" : "result")
                .add("schema", result));
        JsonArrayBuilder errors = JsonRpc.JSON.createArrayBuilder();
        EVERY_CALL.forEach(error -> errors.add(reference(error)));
        if (!handler.access().isOpen()) {
            errors.add(reference("Unauthenticated")).add(reference("Forbidden"));
            JsonArrayBuilder roles = JsonRpc.JSON.createArrayBuilder();
            handler.access().roles().forEach(roles::add);
            method.add("x-roles", roles);
        }
        method.add("errors", errors);
        if (listing.stream()) {
            method.add("x-stream", true);
        }
        if (listing.upstream() != null) {
            method.add("x-upstream", listing.upstream());
        }
        return method.build();
    }

    /**
     * Moves a schema's {@code definitions} into the document's {@code components.schemas}, where the
     * references of the params and result schemas, taken out of it, can still reach them.
     */
    private static JsonObject components(JsonObject schema, JsonObjectBuilder definitions) {
        if (schema == null) {
            return null;
        }
        String text = schema.toString();
        if (!text.contains("#/definitions/")) {
            return schema;
        }
        JsonObject moved = JsonRpc.read(text.replace("\"#/definitions/", "\"#/components/schemas/")).asJsonObject();
        if (moved.get("definitions") instanceof JsonObject found) {
            found.forEach(definitions::add);
        }
        JsonObjectBuilder without = JsonRpc.JSON.createObjectBuilder(moved);
        without.remove("definitions");
        return without.build();
    }

    private static JsonObject reference(String error) {
        return JsonRpc.JSON.createObjectBuilder().add("$ref", "#/components/errors/" + error).build();
    }

    private static JsonObject topic(TopicDefinition topic) {
        JsonObjectBuilder info = JsonRpc.JSON.createObjectBuilder().add("description", topic.description())
                .add("history", topic.history());
        if (!topic.access().isOpen()) {
            JsonArrayBuilder roles = JsonRpc.JSON.createArrayBuilder();
            topic.access().roles().forEach(roles::add);
            info.add("roles", roles);
        }
        return info.build();
    }
}
