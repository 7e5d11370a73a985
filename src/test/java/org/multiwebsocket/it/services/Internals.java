package org.multiwebsocket.it.services;

import jakarta.inject.Inject;
import org.multiwebsocket.dispatch.Admission;
import org.multiwebsocket.dispatch.Workers;
import org.multiwebsocket.service.Service;
import org.multiwebsocket.transport.websocket.PendingHandshakes;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** What the hardening tests need to see inside the server; {@code {"reset": true}} zeroes the peaks. */
@Service(value = "test/internals", description = "Internal counters for the hardening tests")
public class Internals {

    public record Params(boolean reset) {
    }

    @Inject
    PendingHandshakes pending;
    @Inject
    Workers workers;
    @Inject
    Admission admission;

    public Map<String, Integer> call(Params params) {
        if (params != null && params.reset()) {
            Stubborn.MOST_RUNNING.set(Stubborn.RUNNING.get());
            Streamer.MOST_DEMAND.set(0);
        }
        Map<String, Integer> counters = new TreeMap<>();
        counters.put("pendingHandshakes", pending.size());
        counters.put("timerTasks", ((ScheduledThreadPoolExecutor) workers.timer()).getQueue().size());
        counters.put("callsAdmitted", admission.callsAdmitted());
        counters.put("addressLanes", admission.addressLanes());
        counters.put("stubbornRunning", Stubborn.RUNNING.get());
        counters.put("stubbornMostRunning", Stubborn.MOST_RUNNING.get());
        counters.put("streamsCancelled", Streamer.CANCELLED.get());
        counters.put("streamMostDemand", (int) Streamer.MOST_DEMAND.get());
        counters.put("teardowns", RequestScopedProbe.DESTROYED.get());
        counters.put("teardownsInterrupted", RequestScopedProbe.DESTROYED_INTERRUPTED.get());
        return counters;
    }
}
