package org.multiwebsocket.registry;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.multiwebsocket.service.CallContext;

import java.util.concurrent.CompletionStage;

/**
 * Something the gateway routes calls to by name: a {@code @Service} bean ({@link ServiceHandler}), or
 * an operation of an upstream webservice. The dispatcher needs no more than this.
 */
public interface Handler {

    /** @return the canonical service name */
    String name();

    /** @return who may call it */
    AccessRule access();

    /** @return whether a call needs an active request context */
    boolean needsRequestContext();

    /** @return whether it returns at once, so that it may run on the thread that read the frame */
    boolean nonBlocking();

    /**
     * Starts a call.
     *
     * @param params  the params as parsed, or null
     * @param context the call, as the handler sees it
     * @return the result as a stage; cancelling it must stop the work where it can
     * @throws InvalidParams when the params do not fit
     * @throws Throwable     what the handler threw
     */
    CompletionStage<?> invoke(JsonValue params, CallContext context) throws Throwable;

    /**
     * How discovery lists it.
     *
     * @param description its one-line description
     * @param stream      whether it answers with a stream of items
     * @param upstream    the upstream webservice it belongs to, or null for a bean service
     * @param params      the JSON Schema of its params, or null when not published
     */
    record Listing(String description, boolean stream, String upstream, JsonObject params) {
    }

    /** @return how discovery lists it */
    Listing listing();
}
