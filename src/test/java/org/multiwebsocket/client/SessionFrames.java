package org.multiwebsocket.client;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.multiwebsocket.testing.ScriptedGateway.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a scripted gateway says in the session tests: answers, topic messages and stream items with their seq. */
final class SessionFrames {

    private SessionFrames() {
    }

    /** Reads {@code rpc.session} and answers it with a new session. */
    static void newSession(Connection connection, String id) throws Exception {
        JsonObject request = connection.json(5);
        assertEquals("rpc.session", request.getString("method"), request.toString());
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, request.getJsonObject("params"));
        connection.send(answer(request, "{\"session\":\"" + id + "\",\"token\":\"secret-" + id
                + "\",\"resumed\":false,\"known\":[],\"ttlMs\":120000}"));
    }

    static String answer(JsonObject request, String resultJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + resultJson + "}";
    }

    static String answer(JsonObject request, String resultJson, long seq) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + resultJson + ",\"seq\":" + seq + "}";
    }

    static String message(String topic, long offset, String data, long seq) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.message\",\"params\":{\"topic\":\"" + topic + "\",\"offset\":" + offset
                + ",\"epoch\":\"e1\",\"data\":" + data + "},\"seq\":" + seq + "}";
    }

    /** The next frame that is not an rpc.ack. */
    static JsonObject nextBesidesAcks(Connection connection) throws Exception {
        while (true) {
            JsonObject frame = connection.json(5);
            if (!"rpc.ack".equals(frame.getString("method", ""))) {
                return frame;
            }
        }
    }

    static String item(JsonObject call, int index, long seq) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.item\",\"params\":{\"id\":" + call.get("id") + ",\"index\":"
                + index + ",\"item\":" + index + "},\"seq\":" + seq + "}";
    }
}
