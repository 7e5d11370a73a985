package org.multiwebsocket.testing;

import jakarta.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/** The frames and answers of the session tests (PROTOCOL.md section 10), on one node and in the cluster. */
public final class SessionRequests {

    /** {@code rpc.session {}}: a new session. */
    public static final String NEW = request("s", "rpc.session", "{}");

    private SessionRequests() {
    }

    /** @return {@code rpc.session} resuming the session of that answer, after {@code ack} */
    public static String resume(JsonObject session, long ack) {
        return request("s", "rpc.session", "{\"resume\":{\"session\":\"" + session.getString("session") + "\",\"token\":\""
                + session.getString("token") + "\",\"ack\":" + ack + "}}");
    }

    /** @return a call of {@code test/once}, which counts its runs per key */
    public static String once(Object id, String key, long ms) {
        return request(id, "test/once", "{\"key\":\"" + key + "\",\"ms\":" + ms + "}");
    }

    /** @return the result of a response that must not be an error */
    public static JsonObject result(JsonObject response) {
        assertNull(response.get("error"), response.toString());
        return response.getJsonObject("result");
    }

    /** @return the error code of a response that must be an error */
    public static int code(JsonObject response) {
        assertTrue(response.containsKey("error"), response.toString());
        return response.getJsonObject("error").getInt("code");
    }
}
