package org.multiwebsocket.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;

/** Between the gateway's JSON (JSON-P) and the validator's (Jackson), without printing and parsing again. */
final class JsonBridge {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private JsonBridge() {
    }

    /**
     * @param value a JSON-P value
     * @return the same value as a Jackson tree
     */
    static JsonNode toJackson(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> {
                ObjectNode object = NODES.objectNode();
                ((JsonObject) value).forEach((key, member) -> object.set(key, toJackson(member)));
                yield object;
            }
            case ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                ((JsonArray) value).forEach(item -> array.add(toJackson(item)));
                yield array;
            }
            case STRING -> NODES.textNode(((JsonString) value).getString());
            case NUMBER -> {
                JsonNumber number = (JsonNumber) value;
                yield number.isIntegral() ? NODES.numberNode(number.bigIntegerValue()) : NODES.numberNode(number.bigDecimalValue());
            }
            case TRUE -> NODES.booleanNode(true);
            case FALSE -> NODES.booleanNode(false);
            case NULL -> NODES.nullNode();
        };
    }

    /**
     * @param node a Jackson object (a schema)
     * @return it as a JSON-P object, for discovery
     */
    static JsonObject toJsonP(ObjectNode node) {
        try (JsonReader reader = Json.createReader(new StringReader(node.toString()))) {
            return reader.readObject();
        }
    }
}
