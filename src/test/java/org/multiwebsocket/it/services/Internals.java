package org.multiwebsocket.it.services;

import jakarta.inject.Inject;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.dispatch.Admission;
import org.multiwebsocket.dispatch.Dispatcher;
import org.multiwebsocket.dispatch.Telemetry;
import org.multiwebsocket.dispatch.Workers;
import org.multiwebsocket.protocol.JsonBuffers;
import org.multiwebsocket.registry.ServiceRegistry;
import org.multiwebsocket.service.Service;
import org.multiwebsocket.transport.websocket.PendingHandshakes;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * What the hardening tests need to see inside the server; {@code {"reset": true}} zeroes the peaks.
 * {@code frameBeansBehindProxies}: how many of the beans the frame path holds are still client proxies.
 * {@code jsonBuffersPerThread}: 1 when the server's JSON-P takes the project's per-thread buffers.
 */
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
    @Inject
    Dispatcher dispatcher;
    @Inject
    Telemetry telemetry;
    @Inject
    JsonSupport json;
    @Inject
    ServiceRegistry registry;

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
        counters.put("frameBeansBehindProxies", behindProxy(dispatcher.unproxied().get(), Dispatcher.class)
                + behindProxy(workers.unproxied().get(), Workers.class) + behindProxy(admission.unproxied().get(), Admission.class)
                + behindProxy(telemetry.unproxied().get(), Telemetry.class) + behindProxy(json.unproxied().get(), JsonSupport.class)
                + behindProxy(registry.unproxied().get(), ServiceRegistry.class));
        counters.put("jsonBuffersPerThread", JsonBuffers.CONFIG.isEmpty() ? 0 : 1);
        return counters;
    }

    /** 1 when what the frame path would hold is not the bean's own class (a client proxy is a subclass). */
    private static int behindProxy(Object held, Class<?> bean) {
        return held.getClass() == bean ? 0 : 1;
    }
}
