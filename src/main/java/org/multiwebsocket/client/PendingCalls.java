package org.multiwebsocket.client;


import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The calls not yet answered, and their single owner: a call is registered into a bounded wait, put
 * in flight when a transport has room, and leaves the table exactly once (answered, failed, timed
 * out, cancelled, or with all the others). Whoever takes a call out completes it.
 */
final class PendingCalls {

    private final LinkedHashSet<PendingCall<?>> waiting = new LinkedHashSet<>(); // guarded by this
    private final Map<String, PendingCall<?>> inFlight = new ConcurrentHashMap<>();

    /** @return false, leaving the call out, when {@code bound} calls wait already */
    synchronized boolean register(PendingCall<?> call, int bound) {
        return waiting.size() < bound && waiting.add(call);
    }

    /** @return the next waiting call, now in flight on {@code via}; null when none waits or {@code maxInFlight} are in flight */
    synchronized PendingCall<?> next(Transport via, int maxInFlight) {
        Iterator<PendingCall<?>> first = waiting.iterator();
        while (inFlight.size() < maxInFlight && first.hasNext()) {
            PendingCall<?> call = first.next();
            first.remove();
            if (!call.isDone()) {
                call.via = via;
                inFlight.put(call.key, call);
                return call;
            }
        }
        return null;
    }

    /** @return the call in flight under the key, taken out; null when there is none (settled already) */
    PendingCall<?> answered(String key) {
        PendingCall<?> call = inFlight.remove(key);
        if (call != null) {
            call.stopTimer();
        }
        return call;
    }

    /** @return the call in flight under the key, left there; null when there is none */
    PendingCall<?> get(String key) {
        return key == null ? null : inFlight.get(key);
    }

    /** Takes the call out wherever it is; @return the transport it was in flight on, null when it was waiting or gone */
    Transport remove(PendingCall<?> call) {
        call.stopTimer();
        if (inFlight.remove(call.key, call)) {
            return call.via;
        }
        synchronized (this) {
            waiting.remove(call);
        }
        return null;
    }

    /** Takes out every call, waiting or in flight, that matches. */
    List<PendingCall<?>> remove(Predicate<PendingCall<?>> which) {
        List<PendingCall<?>> taken = new ArrayList<>();
        synchronized (this) {
            waiting.removeIf(call -> which.test(call) && taken.add(call));
        }
        inFlight.values().removeIf(call -> which.test(call) && taken.add(call));
        taken.forEach(PendingCall::stopTimer);
        return taken;
    }

    /** @return the calls in flight now that match, left there */
    List<PendingCall<?>> inFlight(Predicate<PendingCall<?>> which) {
        return inFlight.values().stream().filter(which).toList();
    }

    /** @return the calls waiting now */
    synchronized List<PendingCall<?>> waiting() {
        return List.copyOf(waiting);
    }

    int inFlight() {
        return inFlight.size();
    }

    /**
     * Fails the call with {@link CallTimeoutException} once {@code ms} have passed since it was made
     * (for a stream: since its last item), unless it is settled first; then {@code abandoned} takes it
     * out and tells the gateway.
     */
    static void deadline(PendingCall<?> call, long ms, ScheduledExecutorService timer, Consumer<PendingCall<?>> abandoned) {
        call.deadlineMs = ms;
        long left = ms - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.madeNanos);
        call.timer = timer.schedule(() -> {
            if (ms - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.madeNanos) > 0) {
                if (!call.isDone()) {
                    deadline(call, ms, timer, abandoned); // an item came meanwhile: the clock started over
                }
            } else if (call.completeExceptionally(new CallTimeoutException(
                    "no answer from " + call.method + " within " + ms + " ms", null))) {
                abandoned.accept(call);
            }
        }, Math.max(0, left), TimeUnit.MILLISECONDS);
    }
}
