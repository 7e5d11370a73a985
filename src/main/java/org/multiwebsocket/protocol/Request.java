package org.multiwebsocket.protocol;

import jakarta.json.JsonValue;

/**
 * One element of a frame after the envelope checks: either a well-formed request (or notification),
 * or the Invalid Request error to answer for it.
 *
 * @param id      the id, or null for a notification (absent id)
 * @param method  the method as sent
 * @param params  the params as sent, or null when absent
 * @param invalid the reason the element is not a valid request, or null when it is one
 */
public record Request(JsonValue id, String method, JsonValue params, String invalid) {

    /** @return whether the request has no id and gets no answer */
    public boolean isNotification() {
        return id == null;
    }

    /** The id to answer with: the request's, or JSON null where there is none. */
    public JsonValue replyId() {
        return id == null ? JsonValue.NULL : id;
    }
}
