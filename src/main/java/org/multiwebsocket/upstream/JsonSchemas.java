package org.multiwebsocket.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns OpenAPI schema objects into plain JSON Schema, the dialect discovery publishes and the gateway
 * validates with: for OpenAPI 3.0 draft 4 (which 3.0's schema object extends), {@code nullable} written as
 * a {@code "null"} type, the OpenAPI-only keywords dropped; for 3.1 the schema as it is (2020-12). References
 * to {@code #/components/schemas/X} become {@code #/definitions/X}, and the schemas they reach are copied
 * into {@code definitions}, so the result stands alone. Any other reference (another document, a URL) is
 * never followed: it is replaced by an empty schema and reported.
 */
final class JsonSchemas {

    static final String DRAFT_4 = "http://json-schema.org/draft-04/schema#";
    static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static final String COMPONENT = "#/components/schemas/";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Keywords of OpenAPI 3.0's schema object that JSON Schema does not have. */
    private static final Set<String> OPENAPI_ONLY = Set.of("nullable", "discriminator", "xml", "externalDocs", "example",
            "deprecated", "exampleSetFlag");
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "definitions", "$defs",
            "dependentSchemas");
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final Set<String> SCHEMA_VALUES = Set.of("items", "additionalProperties", "not", "contains", "if",
            "then", "else", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "additionalItems");

    private final boolean openApi30;
    private final Function<String, JsonNode> components;
    private final Set<String> referenced = new LinkedHashSet<>();
    private final List<String> notes;

    /**
     * @param openApi30  whether the document is OpenAPI 3.0 (else 3.1)
     * @param components a component schema by name (as OpenAPI wrote it), or null when there is none
     * @param notes      where problems are reported
     */
    JsonSchemas(boolean openApi30, Function<String, JsonNode> components, List<String> notes) {
        this.openApi30 = openApi30;
        this.components = components;
        this.notes = notes;
    }

    /** @return the JSON Schema dialect of what this produces */
    String dialect() {
        return openApi30 ? DRAFT_4 : DRAFT_2020_12;
    }

    /**
     * @param schema an OpenAPI schema object, or null
     * @return it as JSON Schema (an empty schema for null)
     */
    ObjectNode convert(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return NODES.objectNode();
        }
        ObjectNode out = NODES.objectNode();
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual()) {
            String target = ref.asText();
            if (target.startsWith(COMPONENT) && target.indexOf('/', COMPONENT.length()) < 0) {
                String name = target.substring(COMPONENT.length());
                referenced.add(name);
                out.put("$ref", "#/definitions/" + name);
            } else {
                notes.add("the reference " + target + " is not followed (only #/components/schemas/... are)");
            }
            if (openApi30) {
                return nullable(schema, out);
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.equals("$ref") || openApi30 && OPENAPI_ONLY.contains(key)) {
                continue;
            }
            if (SCHEMA_MAPS.contains(key) && value.isObject()) {
                ObjectNode map = out.putObject(key);
                value.fields().forEachRemaining(e -> map.set(e.getKey(), convert(e.getValue())));
            } else if (SCHEMA_LISTS.contains(key) && value.isArray()) {
                ArrayNode list = out.putArray(key);
                value.forEach(item -> list.add(convert(item)));
            } else if (SCHEMA_VALUES.contains(key) && value.isObject()) {
                out.set(key, convert(value));
            } else if (key.equals("items") && value.isArray()) {
                ArrayNode list = out.putArray(key);
                value.forEach(item -> list.add(convert(item)));
            } else {
                out.set(key, value.deepCopy());
            }
        }
        return openApi30 ? nullable(schema, out) : out;
    }

    /** OpenAPI 3.0's {@code nullable: true} in JSON Schema terms. */
    private static ObjectNode nullable(JsonNode schema, ObjectNode out) {
        if (!schema.path("nullable").asBoolean(false)) {
            return out;
        }
        JsonNode type = out.get("type");
        if (type != null && type.isTextual() && !out.has("$ref")) {
            ArrayNode types = NODES.arrayNode().add(type.asText()).add("null");
            out.set("type", types);
            if (out.get("enum") instanceof ArrayNode values) {
                values.addNull();
            }
            return out;
        }
        ObjectNode either = NODES.objectNode();
        either.putArray("anyOf").add(out).add(NODES.objectNode().put("type", "null"));
        return either;
    }

    /**
     * The params object's schema: one property per parameter, the body under {@code body}, no other member.
     *
     * @param properties each member's converted schema, in order
     * @param required   the members that must be present
     * @return the schema, with the component schemas it reaches under {@code definitions}
     */
    ObjectNode params(Map<String, ObjectNode> properties, Set<String> required) {
        ObjectNode root = NODES.objectNode();
        root.put("$schema", dialect());
        root.put("type", "object");
        ObjectNode members = root.putObject("properties");
        properties.forEach(members::set);
        if (!required.isEmpty()) {
            ArrayNode names = root.putArray("required");
            required.forEach(names::add);
        }
        root.put("additionalProperties", false);
        ObjectNode definitions = NODES.objectNode();
        Deque<String> pending = new ArrayDeque<>(referenced);
        while (!pending.isEmpty()) {
            String name = pending.poll();
            if (definitions.has(name)) {
                continue;
            }
            JsonNode component = components.apply(name);
            if (component == null) {
                notes.add("the schema #/components/schemas/" + name + " does not exist");
                definitions.set(name, NODES.objectNode());
                continue;
            }
            Set<String> before = new LinkedHashSet<>(referenced);
            definitions.set(name, convert(component));
            referenced.stream().filter(r -> !before.contains(r)).forEach(pending::add);
        }
        if (!definitions.isEmpty()) {
            root.set("definitions", definitions);
        }
        return root;
    }
}
