package org.multiwebsocket.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Json;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenRPC document at {@code /api/openrpc.json}, checked against the OpenRPC meta-schema. */
class OpenRpcIT extends GatewayDeployment {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theDocumentIsValidOpenRpc() throws Exception {
        HttpResponse<String> response = get("api/openrpc.json");
        assertEquals(200, response.statusCode());
        Schema meta;
        try (InputStream in = OpenRpcIT.class.getResourceAsStream("/openrpc/meta-schema.json")) {
            meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(MAPPER.readTree(in));
        }
        List<Error> errors = meta.validate(MAPPER.readTree(response.body()));
        assertTrue(errors.isEmpty(), errors.stream().map(Object::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void discoveryLinksItAndItDescribesServicesStreamsRolesAndTopics() throws Exception {
        JsonObject discovery = Json.object(get("api/discover").body());
        assertTrue(discovery.getString("openrpc").endsWith("/api/openrpc.json"));
        JsonObject document = Json.object(get("api/openrpc.json").body());
        Map<String, JsonObject> methods = document.getJsonArray("methods").stream().map(v -> v.asJsonObject())
                .collect(Collectors.toMap(m -> m.getString("name"), m -> m));
        assertEquals(discovery.getJsonObject("services").keySet(), methods.keySet());
        JsonObject chat = methods.get("chat/send");
        JsonObject text = chat.getJsonArray("params").stream().map(v -> v.asJsonObject())
                .filter(p -> p.getString("name").equals("text")).findFirst().orElseThrow();
        assertEquals(500, text.getJsonObject("schema").getInt("maxLength"), "Bean Validation's @Size is carried over");
        assertTrue(text.getBoolean("required"), "@NotBlank makes it required");
        assertTrue(methods.get("words").getBoolean("x-stream"));
        assertEquals("string", methods.get("words").getJsonObject("result").getJsonObject("schema").getString("type"));
        assertEquals(List.of("admin"), methods.get("test/method-admin").getJsonArray("x-roles")
                .getValuesAs(jakarta.json.JsonString::getString));
        assertEquals(50, document.getJsonObject("x-topics").getJsonObject("chat").getInt("history"));
    }
}
