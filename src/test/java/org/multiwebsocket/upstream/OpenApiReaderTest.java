package org.multiwebsocket.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inventory's document (the one the integration test serves) read into operations and schemas. */
class OpenApiReaderTest {

    static String inventory() throws IOException {
        try (InputStream in = OpenApiReaderTest.class.getResourceAsStream("/org/multiwebsocket/it/inventory/openapi.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static UpstreamConfig.Settings settings(String name, Set<String> include, Set<String> exclude, Map<String, String> headers) {
        return new UpstreamConfig.Settings(name, URI.create("http://127.0.0.1:1/inventory/api"), "/openapi", include, exclude,
                Set.of(), 5_000, 4, false, headers, 3, 1_000, false);
    }

    static OperationSpec operation(OpenApiReader.Document document, String id) {
        return document.operations().stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void everyOperationWithAnOperationIdIsRead() throws Exception {
        OpenApiReader.Document document = OpenApiReader.read(inventory(), settings("inventory", Set.of(), Set.of(), Map.of()));
        assertEquals(List.of("listItems", "createItem", "getItem", "updateItem", "deleteItem", "echo", "slow", "large", "stats",
                "text", "fail"), document.operations().stream().map(OperationSpec::id).toList());
        assertEquals(Optional.of("/inventory/api"), document.serverPath());
        assertTrue(document.notes().stream().anyMatch(n -> n.contains("/nameless has no operationId")), document.notes().toString());
        assertTrue(document.notes().stream().anyMatch(n -> n.contains("header parameter Accept is left out")));

        OperationSpec get = operation(document, "getItem");
        assertEquals("GET", get.method());
        assertEquals("/items/{id}", get.path());
        assertEquals("Reads an item", get.summary());
        assertEquals(List.of(new OperationSpec.Param("id", "path", "simple", false, false)), get.parameters());
        assertNull(get.body());

        OperationSpec echo = operation(document, "echo");
        assertEquals(new OperationSpec.Param("list", "query", "form", false, false), echo.parameters().get(2));
        assertEquals(new OperationSpec.Param("many", "query", "form", true, false), echo.parameters().get(3));
        assertEquals(new OperationSpec.Param("filter", "query", "deepObject", true, false), echo.parameters().get(4));
        assertEquals(new OperationSpec.Param("X-Note", "header", "simple", false, false), echo.parameters().get(5));
    }

    @Test
    void theParamsSchemaIsPlainJsonSchemaStandingAlone() throws Exception {
        OpenApiReader.Document document = OpenApiReader.read(inventory(), settings("inventory", Set.of(), Set.of(), Map.of()));
        JsonNode schema = operation(document, "updateItem").paramsSchema();
        JsonNode expected = new ObjectMapper().readTree("""
                {"$schema":"http://json-schema.org/draft-04/schema#","type":"object",
                 "properties":{"id":{"type":"string"},"body":{"$ref":"#/definitions/NewItem"}},
                 "required":["id","body"],"additionalProperties":false,
                 "definitions":{"NewItem":{"required":["name","quantity"],"type":"object",
                   "properties":{"name":{"maxLength":100,"minLength":1,"type":"string"},
                                 "quantity":{"minimum":0,"type":"integer"},
                                 "tags":{"type":"array","items":{"type":"string"}},
                                 "note":{"type":["string","null"]}}}}}""");
        assertEquals(expected, new ObjectMapper().readTree(schema.toString()));
        JsonNode list = operation(document, "listItems").paramsSchema();
        assertFalse(list.has("required"));
        assertFalse(list.has("definitions"), "response schemas are not part of the params");
    }

    @Test
    void includeAndExcludeByOperationIdAndTag() throws Exception {
        String text = inventory();
        assertEquals(List.of("listItems", "createItem", "getItem", "updateItem", "deleteItem"),
                ids(OpenApiReader.read(text, settings("i", Set.of("tag:items"), Set.of(), Map.of()))));
        assertEquals(List.of("listItems", "getItem"),
                ids(OpenApiReader.read(text, settings("i", Set.of("tag:items"), Set.of("createItem", "updateItem",
                        "deleteItem"), Map.of()))));
        assertEquals(List.of("echo", "text"), ids(OpenApiReader.read(text, settings("i", Set.of("echo", "text"), Set.of(),
                Map.of()))));
        assertEquals(List.of("listItems", "createItem", "getItem", "updateItem", "deleteItem"),
                ids(OpenApiReader.read(text, settings("i", Set.of(), Set.of("tag:debug"), Map.of()))));
    }

    @Test
    void aConfiguredHeaderIsNotAParameter() throws Exception {
        String text = inventory();
        OpenApiReader.Document document = OpenApiReader.read(text, settings("i", Set.of("echo"), Set.of(),
                Map.of("x-note", "fixed")));
        assertTrue(operation(document, "echo").parameters().stream().noneMatch(p -> p.name().equals("X-Note")));
    }

    @Test
    void whatIsNotOpenApi3IsUnusable() {
        assertThrows(OpenApiReader.Unusable.class, () -> OpenApiReader.read("openapi: 3.0.3\npaths: [unclosed",
                settings("i", Set.of(), Set.of(), Map.of())));
        assertThrows(OpenApiReader.Unusable.class, () -> OpenApiReader.read("{\"swagger\":\"2.0\",\"paths\":{}}",
                settings("i", Set.of(), Set.of(), Map.of())));
        assertThrows(OpenApiReader.Unusable.class, () -> OpenApiReader.read("hello", settings("i", Set.of(), Set.of(), Map.of())));
    }

    @Test
    void openApi31SchemasStayAsTheyAre() throws Exception {
        String text = """
                {"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/p/{id}":{"post":{"operationId":"make",
                  "parameters":[{"name":"id","in":"path","required":true,"schema":{"type":["string","null"]}}],
                  "requestBody":{"content":{"text/plain":{"schema":{"type":"string"}}}},
                  "responses":{"200":{"description":"ok"}}}}},
                  "components":{"schemas":{"Unused":{"type":"object"}}}}""";
        OpenApiReader.Document document = OpenApiReader.read(text, settings("i", Set.of(), Set.of(), Map.of()));
        OperationSpec make = document.operations().get(0);
        assertEquals(JsonSchemas.DRAFT_2020_12, make.paramsSchema().get("$schema").asText());
        assertEquals("[\"string\",\"null\"]", make.paramsSchema().at("/properties/id/type").toString());
        assertEquals("text/plain", make.body().mediaType());
        assertEquals("POST /p/{id}", make.summary());
    }

    @Test
    void externalReferencesAreNeverFollowed() throws Exception {
        String text = """
                {"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/p":{"post":{"operationId":"make",
                  "requestBody":{"content":{"application/json":{"schema":{"$ref":"http://127.0.0.1:9/evil.json"}}}},
                  "responses":{"200":{"description":"ok"}}}}}}""";
        OpenApiReader.Document document = OpenApiReader.read(text, settings("i", Set.of(), Set.of(), Map.of()));
        assertTrue(document.operations().isEmpty());
        assertEquals(List.of("make (POST /p): the reference http://127.0.0.1:9/evil.json is not followed (only"
                + " #/components/schemas/... are): not published"), document.notes());
    }

    private static List<String> ids(OpenApiReader.Document document) {
        return document.operations().stream().map(OperationSpec::id).toList();
    }
}
