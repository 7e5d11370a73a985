package org.multiwebsocket.protocol;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonBindingTest {

    private static final Jsonb JSONB = JsonbBuilder.create();

    public record Item(String name, int count, List<String> tags, Map<String, Object> extra) {
    }

    public record Failing(String name) {
        @Override
        public String name() {
            throw new IllegalStateException("cannot read");
        }
    }

    @Test
    void writesEveryValueAsJsonbItselfWould() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("nested", Map.of("x", 1));
        extra.put("quote", "a \"b\" \u00e9 \ud83d\ude00 \n");
        List<Object> values = List.of("text", 42, 1.5, true, new BigDecimal("1e400"), List.of(1, 2),
                new Item("n", 3, List.of("a", "b"), extra), Optional.of("o"), Map.of(), "x".repeat(100_000));
        for (Object value : values) {
            assertEquals(JSONB.toJson(value), JsonBinding.toJson(JSONB, value), value.getClass().getName());
        }
    }

    @Test
    void aValueThatCannotBeWrittenFailsAndLeavesTheNextWriteIntact() {
        assertThrows(JsonbException.class, () -> JsonBinding.toJson(JSONB, new Failing("x")));
        Item next = new Item("n", 1, List.of(), Map.of());
        assertEquals(JSONB.toJson(next), JsonBinding.toJson(JSONB, next));
    }

    @Test
    void buffersGoingBackToTheThreadAreNeverSharedByTwoParsersAtOnce() {
        String big = "{\"k\":\"" + "y".repeat(50_000) + "\"}";
        try (JsonParser outer = JsonRpc.JSON.createParserFactory(JsonBuffers.CONFIG).createParser(new StringReader(big))) {
            outer.next();
            for (int i = 0; i < 3; i++) {
                JsonRpc.Frame frame = JsonRpc.parse("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"m\",\"params\":[" + i + "]}", 5);
                assertEquals("[" + i + "]", ((JsonRpc.Single) frame).request().params().toString());
            }
            outer.next();
            outer.next();
            assertEquals(50_000, outer.getString().length());
        }
        assertFalse(JsonBuffers.CONFIG.isEmpty(), "Parsson's buffer pool is not in use");
    }
}
