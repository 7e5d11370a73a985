package org.multiwebsocket.dispatch;

import jakarta.json.JsonValue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one owner of a channel's calls in flight. A call takes a slot when admitted and gives it back
 * only when its handler has really returned, so cancelling or timing out a call never lets more
 * handlers run than the limit. Its id is taken from admission until the call is answered: the caller
 * may use it again once it has the answer.
 */
final class CallTable {

    /** What admission decided. */
    enum Admission { ADMITTED, OVER_LIMIT, DUPLICATE_ID }

    private final int maxInFlight;
    private final Runnable afterRelease;
    /** Unanswered calls: requests by id, notifications by themselves. */
    private final ConcurrentMap<Object, Call> unanswered = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param maxInFlight  slots
     * @param afterRelease runs after every release
     */
    CallTable(int maxInFlight, Runnable afterRelease) {
        this.maxInFlight = maxInFlight;
        this.afterRelease = afterRelease;
    }

    Admission admit(Call call) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return Admission.OVER_LIMIT;
        }
        if (unanswered.putIfAbsent(key(call), call) != null) {
            inFlight.decrementAndGet();
            return Admission.DUPLICATE_ID;
        }
        return Admission.ADMITTED;
    }

    /** @return the unanswered request with this id, or null */
    Call find(JsonValue id) {
        return unanswered.get(id);
    }

    /** The call has its answer (or has been abandoned): its id is free again. */
    void answered(Call call) {
        unanswered.remove(key(call), call);
    }

    /** The call's handler has returned: its slot is free again. */
    void released() {
        inFlight.decrementAndGet();
        afterRelease.run();
    }

    void abandonAll() {
        for (Call call : unanswered.values()) {
            call.abandon();
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    private static Object key(Call call) {
        JsonValue id = call.request().id();
        return id == null ? call : id;
    }
}
