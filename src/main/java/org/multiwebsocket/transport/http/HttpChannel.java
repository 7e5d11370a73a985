package org.multiwebsocket.transport.http;

import jakarta.json.JsonValue;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.dispatch.Admission;
import org.multiwebsocket.dispatch.Channel;
import org.multiwebsocket.spi.Caller;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request to the HTTP transport: a channel that lives as long as the request. It shares the lane
 * of every HTTP request from its remote address, and gives it back once it is answered and every
 * handler it started has returned (a timed-out handler still holds the address's share).
 */
final class HttpChannel extends Channel {

    private final Admission admission;
    private final String remote;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean laneReleased = new AtomicBoolean();
    private final EventStream events;

    /** @param events where a stream's items go as Server-Sent Events, or null to collect them into one result */
    HttpChannel(Origin origin, Caller caller, String traceparent, int maxInFlight, Admission admission, String remote,
                EventStream events) {
        super(UUID.randomUUID().toString(), origin, caller, traceparent, maxInFlight, admission.laneOf(remote));
        this.admission = admission;
        this.remote = remote;
        this.events = events;
    }

    @Override
    public boolean streamsItems() {
        return events != null;
    }

    @Override
    protected void pushItem(JsonValue id, long index, String itemJson, Runnable written) {
        events.send("item", Long.toString(index), itemJson, written, this::abandon);
    }

    @Override
    public String transport() {
        return "http";
    }

    /** The response has been handed to the client. */
    void answered() {
        answered.set(true);
        releaseLaneWhenDone();
    }

    @Override
    public void afterCall() {
        releaseLaneWhenDone();
    }

    private void releaseLaneWhenDone() {
        if (answered.get() && inFlight() == 0 && laneReleased.compareAndSet(false, true)) {
            admission.release(remote, lane());
        }
    }
}
