package org.multiwebsocket.dispatch;

import jakarta.json.JsonValue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The one owner of a channel's calls in flight. A call takes a slot when admitted and gives it back
 * only when its handler has really returned, so cancelling or timing out a call never lets more
 * handlers run than the limit. Its id is taken from admission until the call is answered: the caller
 * may use it again once it has the answer. The map of unanswered calls is made by the first call: an
 * idle connection has none.
 */
final class CallTable {

    private static final AtomicIntegerFieldUpdater<CallTable> IN_FLIGHT =
            AtomicIntegerFieldUpdater.newUpdater(CallTable.class, "inFlight");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<CallTable, ConcurrentMap> UNANSWERED =
            AtomicReferenceFieldUpdater.newUpdater(CallTable.class, ConcurrentMap.class, "unanswered");

    /** What admission decided. */
    enum Admission { ADMITTED, OVER_LIMIT, DUPLICATE_ID }

    private final int maxInFlight;
    private final Runnable afterRelease;
    /** Unanswered calls: requests by id, notifications by themselves. */
    private volatile ConcurrentMap<Object, Call> unanswered;
    private volatile int inFlight;

    /**
     * @param maxInFlight  slots
     * @param afterRelease runs after every release
     */
    CallTable(int maxInFlight, Runnable afterRelease) {
        this.maxInFlight = maxInFlight;
        this.afterRelease = afterRelease;
    }

    Admission admit(Call call) {
        if (IN_FLIGHT.incrementAndGet(this) > maxInFlight) {
            IN_FLIGHT.decrementAndGet(this);
            return Admission.OVER_LIMIT;
        }
        if (unanswered().putIfAbsent(key(call), call) != null) {
            IN_FLIGHT.decrementAndGet(this);
            return Admission.DUPLICATE_ID;
        }
        return Admission.ADMITTED;
    }

    /** @return the unanswered request with this id, or null */
    Call find(JsonValue id) {
        ConcurrentMap<Object, Call> calls = unanswered;
        return calls == null ? null : calls.get(id);
    }

    /** The call has its answer (or has been abandoned): its id is free again. */
    void answered(Call call) {
        ConcurrentMap<Object, Call> calls = unanswered;
        if (calls != null) {
            calls.remove(key(call), call);
        }
    }

    /** The call's handler has returned: its slot is free again. */
    void released() {
        IN_FLIGHT.decrementAndGet(this);
        afterRelease.run();
    }

    void abandonAll() {
        ConcurrentMap<Object, Call> calls = unanswered;
        if (calls != null) {
            for (Call call : calls.values()) {
                call.abandon();
            }
        }
    }

    int inFlight() {
        return inFlight;
    }

    private ConcurrentMap<Object, Call> unanswered() {
        ConcurrentMap<Object, Call> calls = unanswered;
        if (calls == null) {
            UNANSWERED.compareAndSet(this, null, new ConcurrentHashMap<Object, Call>());
            calls = unanswered;
        }
        return calls;
    }

    private static Object key(Call call) {
        JsonValue id = call.request().id();
        return id == null ? call : id;
    }
}
