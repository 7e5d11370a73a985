package org.multiwebsocket.dispatch;

import org.multiwebsocket.config.Unproxied;
import org.multiwebsocket.protocol.Request;

import java.util.function.Consumer;

/**
 * The built-in methods of sessions (PROTOCOL.md section 10) as the dispatcher reaches them; the
 * sessions themselves live in {@code org.multiwebsocket.session}.
 */
public interface SessionMethods extends Unproxied<SessionMethods> {

    /**
     * Answers {@code rpc.session}: opens a session on the channel or resumes one.
     *
     * @param channel the channel the request came on
     * @param request the request
     * @param reply   receives the answer, which reaches the client before any message of the session
     */
    void session(Channel channel, Request request, Consumer<String> reply);

    /**
     * Takes {@code rpc.ack}.
     *
     * @param channel the channel the request came on
     * @param request the request
     * @return the answer for a request with an id, or null
     */
    String ack(Channel channel, Request request);

    /**
     * @return calls running in this node's sessions, with a socket or without one (a client that left
     *         for another node): a stopping node waits for them as for those of its sockets
     */
    default int inFlight() {
        return 0;
    }
}
