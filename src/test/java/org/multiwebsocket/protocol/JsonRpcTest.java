package org.multiwebsocket.protocol;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonRpcTest {

    private static Request single(String text) {
        return assertInstanceOf(JsonRpc.Single.class, JsonRpc.parse(text, 10)).request();
    }

    @Test
    void aWellFormedRequestKeepsIdMethodAndParams() {
        Request request = single("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"/x/\",\"params\":{\"k\":1}}");
        assertNull(request.invalid());
        assertEquals("\"a\"", request.id().toString());
        assertEquals("/x/", request.method());
        assertEquals("{\"k\":1}", request.params().toString());
    }

    @Test
    void aRequestWithoutIdIsANotification() {
        Request request = single("{\"jsonrpc\":\"2.0\",\"method\":\"x\"}");
        assertTrue(request.isNotification());
        assertEquals(JsonValue.NULL, request.replyId());
    }

    @Test
    void notJsonIsUnparseable() {
        assertInstanceOf(JsonRpc.Unparseable.class, JsonRpc.parse("{\"jsonrpc\"", 10));
        assertInstanceOf(JsonRpc.Unparseable.class, JsonRpc.parse("", 10));
        assertInstanceOf(JsonRpc.Unparseable.class, JsonRpc.parse("[".repeat(100_000), 10));
    }

    @Test
    void envelopeErrorsAreInvalidWithTheIdWhenItIsUsable() {
        assertEquals("jsonrpc must be \"2.0\"", single("{\"id\":1,\"method\":\"x\"}").invalid());
        assertEquals("1", single("{\"id\":1,\"method\":\"x\"}").replyId().toString());
        assertEquals("method must be a string", single("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":[]}").invalid());
        Request badId = single("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"x\"}");
        assertEquals("id must be a string or a number", badId.invalid());
        assertEquals(JsonValue.NULL, badId.replyId());
        assertEquals("params must be an object or an array",
                single("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":3}").invalid());
        assertEquals("a request must be a JSON object", single("true").invalid());
    }

    @Test
    void batchesAreCheckedForEmptinessAndSize() {
        assertInstanceOf(JsonRpc.InvalidBatch.class, JsonRpc.parse("[]", 10));
        assertInstanceOf(JsonRpc.InvalidBatch.class, JsonRpc.parse("[1,2,3]", 2));
        JsonRpc.Batch batch = assertInstanceOf(JsonRpc.Batch.class, JsonRpc.parse("[1,{\"jsonrpc\":\"2.0\",\"method\":\"m\"}]", 2));
        assertEquals(2, batch.requests().size());
        assertEquals("a request must be a JSON object", batch.requests().get(0).invalid());
        assertNull(batch.requests().get(1).invalid());
    }

    @Test
    void theStreamedEnvelopeReadsEveryFrameAsItsParsedTreeWould() {
        List<String> frames = List.of(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\",\"params\":{\"n\":[1,{\"x\":null}]}}",
                " {\"params\":[1,2] , \"method\":\"b\",\"jsonrpc\":\"2.0\",\"id\":\"s\"} ",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"first\",\"method\":\"last\"}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"extra\":{\"deep\":[[{}],[]]},\"more\":[{\"a\":1}],\"id\":1.5e3}",
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"m\"}",
                "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"m\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\\u002fx\\n/\",\"params\":\"s\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",}",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"},5,\"s\",[],{}]",
                "[1,2,3,4,{\"a\":[}]",
                "[1,2,3,4,5,6]",
                "[[[[]]]]",
                "[]", "{}", "null", "\"text\"", "7", "", " ", "]", "{\"a\":", "[".repeat(5_000) + "]".repeat(5_000));
        for (String frame : frames) {
            assertEquals(describe(reference(frame, 3)), describe(JsonRpc.parse(frame, 3)), frame);
        }
    }

    @Test
    void textAfterTheFramesValueMakesItUnparseable() {
        assertInstanceOf(JsonRpc.Unparseable.class, JsonRpc.parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"} x", 3));
        assertInstanceOf(JsonRpc.Unparseable.class, JsonRpc.parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}{}", 3));
        assertInstanceOf(JsonRpc.Unparseable.class, JsonRpc.parse("[{\"jsonrpc\":\"2.0\",\"method\":\"m\"}]]", 3));
    }

    /** The envelope as it was read before it streamed: a tree first, then its members. */
    private static JsonRpc.Frame reference(String text, int maxBatch) {
        JsonValue value = JsonRpc.read(text);
        if (value == null) {
            return new JsonRpc.Unparseable("the frame is not valid JSON");
        }
        if (!(value instanceof JsonArray array)) {
            return new JsonRpc.Single(JsonRpc.request(value));
        }
        if (array.isEmpty()) {
            return new JsonRpc.InvalidBatch("empty batch");
        }
        if (array.size() > maxBatch) {
            return new JsonRpc.InvalidBatch("batch of " + array.size() + " exceeds maxBatch (" + maxBatch + ")");
        }
        return new JsonRpc.Batch(array.stream().map(JsonRpc::request).toList());
    }

    private static String describe(JsonRpc.Frame frame) {
        if (frame instanceof JsonRpc.Single single) {
            return describe(single.request());
        }
        if (frame instanceof JsonRpc.Batch batch) {
            return batch.requests().stream().map(JsonRpcTest::describe).toList().toString();
        }
        return frame.toString();
    }

    private static String describe(Request r) {
        return "id=" + r.id() + " method=" + r.method() + " params=" + r.params() + " invalid=" + r.invalid();
    }

    @Test
    void responsesAreWrittenAsJsonRpc() {
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":\"pong\"}",
                JsonRpc.result(JsonRpc.JSON.createValue(7), "\"pong\""));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":404,\"message\":\"a \\\"b\\\"\"}}",
                JsonRpc.error(JsonValue.NULL, 404, "a \"b\"", null));
        assertEquals("[1,2]", JsonRpc.batch(java.util.List.of("1", "2")));
    }

    @Test
    void unpairedSurrogatesAreEscapedSoThatAnswersAreValidUtf8() {
        assertEquals("{\"a\":\"plain\"}", JsonRpc.wellFormed("{\"a\":\"plain\"}"));
        assertEquals("\"x\\ud800y\"", JsonRpc.wellFormed("\"x\ud800y\""));
        assertEquals("\"\ud83d\ude00\\udc00\"", JsonRpc.wellFormed("\"\ud83d\ude00\udc00\""));
    }
}
