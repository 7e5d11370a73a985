package org.multiwebsocket.service;

import jakarta.json.JsonValue;

import java.security.Principal;
import java.time.Instant;
import java.util.Optional;

/**
 * What a handler may know about the call it is answering. Declare a parameter of this type on a
 * {@link Service} bean's {@code call} method to receive it; it is valid for the duration of the call.
 */
public interface CallContext {

    /**
     * The JSON-RPC id of the call: a string or number as the caller sent it, or
     * {@link JsonValue#NULL} for a notification.
     *
     * @return the call's id
     */
    JsonValue id();

    /**
     * The canonical name of the service called ({@code helloworld}).
     *
     * @return the service name
     */
    String service();

    /**
     * When the caller stops waiting: after this instant the call is answered with error -32003 and
     * the handler thread is interrupted. Long-running handlers should check it.
     *
     * @return the call's deadline
     */
    Instant deadline();

    /**
     * An opaque id of the connection the call came on, unique within this gateway node; every HTTP
     * request is a connection of its own.
     *
     * @return the connection id
     */
    String connectionId();

    /**
     * How the call arrived.
     *
     * @return {@code "websocket"} or {@code "http"}
     */
    String transport();

    /**
     * The authenticated caller, if the connection has one.
     *
     * @return the caller principal, or empty for an anonymous connection
     */
    Optional<Principal> principal();

    /**
     * The W3C trace context of the handshake (or HTTP request) the call came through, for handlers
     * that propagate traces.
     *
     * @return the {@code traceparent} header, when the client sent a well-formed one
     */
    Optional<String> traceparent();

    /**
     * Whether the call was cancelled by the caller or ran past its deadline; its answer would be
     * discarded, so a handler may stop early.
     *
     * @return true once the call is cancelled or timed out
     */
    boolean isCancelled();

    /**
     * The bearer token the caller presented at the handshake (or with the HTTP request), for handlers
     * that call other services on the caller's behalf, as upstream webservices configured to forward
     * it do. Never log it.
     *
     * @return the token, or empty for an anonymous call
     */
    default Optional<String> bearerToken() {
        return Optional.empty();
    }
}
