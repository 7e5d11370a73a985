package org.multiwebsocket.it.services;

import org.multiwebsocket.service.CallContext;
import org.multiwebsocket.service.Service;

/** Sleeps {@code ms} milliseconds, then answers {@code value}; counts the calls that were interrupted. */
@Service(value = "/test/sleep/", description = "Sleeps, then echoes a value")
public class Sleep {

    public record Params(long ms, String value) {
    }

    public record Answer(String value, String connection) {
    }

    public Answer call(Params params, CallContext call) throws InterruptedException {
        try {
            Thread.sleep(params.ms());
        } catch (InterruptedException e) {
            Probe.INTERRUPTED.incrementAndGet();
            throw e;
        }
        return new Answer(params.value(), call.connectionId());
    }
}
