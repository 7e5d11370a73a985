package org.multiwebsocket.dispatch;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every call's deadline on one timer thread, as a hashed wheel: a call is dropped into a bucket (one
 * lock-free enqueue, nothing to cancel when it is answered in time), and the timer visits one bucket
 * per tick, expiring what is due, dropping what was answered, and putting back what is not due yet
 * (a later turn of the wheel, or a stream whose deadline moved with its last item). Deadlines fire up
 * to one tick late.
 *
 * <p>A call is first looked at {@value #FIRST_LOOK_MS} ms after it starts, then at ten times its age,
 * and only then at its deadline: most calls are answered by the first look, so their entries die
 * young. An entry that waited in its deadline's bucket would outlive many young collections (30 s by
 * default) and be copied by each of them, which under load cost more collector time than the calls'
 * own garbage.
 */
final class Deadlines {

    static final long TICK_MS = 10;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MS);
    private static final int BUCKETS = 512;
    static final long FIRST_LOOK_MS = 20;
    private static final long FIRST_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(FIRST_LOOK_MS);
    private static final long LONGEST_LOOK_NANOS = TimeUnit.HOURS.toNanos(1);

    /**
     * A call's place in the wheel. It lets go of the call as soon as the call is answered, so that a
     * call answered long before its deadline (and its channel) can be collected at once; the empty
     * entry goes when the timer reaches it.
     */
    static final class Entry {
        private volatile Call call;
        /** How long after the last look the timer looks again, unless the deadline comes first. */
        private long nextLook = FIRST_LOOK_NANOS;

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
        place(entry, lookAt(entry, call, System.nanoTime()));
        return entry;
    }

    /** When the timer looks at the entry next: after its look gap, or at its deadline if that is sooner. */
    private static long lookAt(Entry entry, Call call, long now) {
        long look = now + entry.nextLook;
        entry.nextLook = Math.min(entry.nextLook * 10, LONGEST_LOOK_NANOS);
        long deadline = call.deadlineNanos();
        return deadline - look < 0 ? deadline : look;
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
                    place(entry, lookAt(entry, call, now));
                }
            }
            done = tick;
        }
    }

    /** @return how many entries the wheel holds, answered or not (for tests: it walks every bucket) */
    int held() {
        int held = 0;
        for (Queue<Entry> bucket : wheel) {
            held += bucket.size();
        }
        return held;
    }

    /** The first tick whose time is not before the instant, so that a bucket holds only calls due by its time. */
    private long tickAtOrAfter(long nanos) {
        return Math.max(0, (nanos - origin + TICK_NANOS - 1) / TICK_NANOS);
    }
}
