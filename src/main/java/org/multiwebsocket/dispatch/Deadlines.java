package org.multiwebsocket.dispatch;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every call's deadline on one timer thread, as a hashed wheel: a call is dropped into the bucket of
 * its deadline's tick (one lock-free enqueue, nothing to cancel when it is answered in time), and the
 * timer visits one bucket per tick, expiring what is due, skipping what was answered, and putting back
 * what is not due yet (a later turn of the wheel, or a stream whose deadline moved with its last item)
 * where its deadline now falls. Deadlines fire up to one tick late.
 */
final class Deadlines {

    static final long TICK_MS = 10;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MS);
    private static final int BUCKETS = 512;

    /**
     * A call's place in the wheel. It lets go of the call as soon as the call is answered, so that a
     * call answered long before its deadline (and its channel) can be collected at once; the empty
     * entry goes when the timer reaches it.
     */
    static final class Entry {
        private volatile Call call;

        private Entry(Call call) {
            this.call = call;
        }

        void clear() {
            call = null;
        }
    }

    private final Queue<Entry>[] wheel;
    private final Consumer<Call> expire;
    private final long origin = System.nanoTime();
    /** The last tick whose bucket the timer has emptied. */
    private volatile long done;
    private ScheduledFuture<?> ticker;

    @SuppressWarnings("unchecked")
    Deadlines(Consumer<Call> expire) {
        this.expire = expire;
        this.wheel = new Queue[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            wheel[i] = new ConcurrentLinkedQueue<>();
        }
        this.done = -1;
    }

    void start(Workers workers) {
        ticker = workers.every(this::advance, TICK_MS);
    }

    void stop() {
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    /** @return the call's entry, to be {@linkplain Entry#clear() cleared} when the call is answered */
    Entry add(Call call) {
        Entry entry = new Entry(call);
        place(entry, call.deadlineNanos());
        return entry;
    }

    private void place(Entry entry, long deadlineNanos) {
        long tick = Math.max(tickAtOrAfter(deadlineNanos), done + 1);
        wheel[(int) (tick % BUCKETS)].add(entry);
        if (tick <= done) {
            // the timer emptied that bucket while this entry went in: the next bucket will see it
            wheel[(int) ((done + 1) % BUCKETS)].add(entry);
        }
    }

    /** Runs on the timer thread: empties every bucket whose time has come. */
    void advance() {
        long now = System.nanoTime();
        long current = (now - origin) / TICK_NANOS;
        for (long tick = done + 1; tick <= current; tick++) {
            Queue<Entry> bucket = wheel[(int) (tick % BUCKETS)];
            int size = bucket.size();
            for (int i = 0; i < size; i++) {
                Entry entry = bucket.poll();
                if (entry == null) {
                    break;
                }
                Call call = entry.call;
                if (call == null || call.isCancelled()) {
                    continue;
                }
                if (call.deadlineNanos() - now <= 0) {
                    expire.accept(call);
                } else {
                    place(entry, call.deadlineNanos());
                }
            }
            done = tick;
        }
    }

    /** The first tick whose time is not before the instant, so that a bucket holds only calls due by its time. */
    private long tickAtOrAfter(long nanos) {
        return Math.max(0, (nanos - origin + TICK_NANOS - 1) / TICK_NANOS);
    }
}
