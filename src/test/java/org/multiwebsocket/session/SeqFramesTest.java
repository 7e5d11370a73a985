package org.multiwebsocket.session;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.protocol.JsonRpc;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeqFramesTest {

    private static JsonValue parse(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    @Test
    void aResponseGetsItsSeqFirstAndGivesItsId() {
        List<String> ids = new ArrayList<>();
        String stamped = SeqFrames.stamp(JsonRpc.result(Json.createValue("a,\"b}"), "{\"x\":[1,2]}"), 7, ids::add);
        JsonObject object = parse(stamped).asJsonObject();
        assertEquals(7, object.getInt("seq"));
        assertEquals("a,\"b}", object.getString("id"));
        assertEquals(List.of("\"a,\\\"b}\""), ids);
        assertEquals(1, SeqFrames.count(stamped));
    }

    @Test
    void eachObjectOfABatchGetsTheNextSeq() {
        String batch = JsonRpc.batch(List.of(JsonRpc.result(Json.createValue(1), "\"[{]\""),
                JsonRpc.error(Json.createValue(2), -32601, "Method not found", "{\"method\":\"x]\"}"),
                JsonRpc.result(Json.createValue("three"), "[]")));
        assertEquals(3, SeqFrames.count(batch));
        List<String> ids = new ArrayList<>();
        JsonArray stamped = parse(SeqFrames.stamp(batch, 10, ids::add)).asJsonArray();
        assertEquals(List.of(10, 11, 12), stamped.getValuesAs(JsonObject.class).stream().map(o -> o.getInt("seq")).toList());
        assertEquals("[{]", stamped.getJsonObject(0).getString("result"));
        assertEquals(List.of("1", "2", "\"three\""), ids);
    }

    @Test
    void aNotificationIsNumberedButHasNoId() {
        List<String> ids = new ArrayList<>();
        String stamped = SeqFrames.stamp("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.message\",\"params\":{\"id\":5}}", 3, ids::add);
        assertEquals(3, parse(stamped).asJsonObject().getInt("seq"));
        assertEquals(List.of(), ids);
    }
}
