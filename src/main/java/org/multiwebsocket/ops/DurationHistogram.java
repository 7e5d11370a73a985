package org.multiwebsocket.ops;

import java.util.concurrent.atomic.LongAdder;

/**
 * Call durations of one service in fixed buckets, as Prometheus histograms have them: recording is
 * a few uncontended additions, with no lock and no decaying reservoir; reading sums the buckets.
 */
final class DurationHistogram {

    /** Upper bounds of the buckets, in seconds; the last bucket, {@code +Inf}, is implicit. */
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final long[] BOUND_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = (long) (BOUNDS[i] * 1e9);
        }
    }

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    DurationHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        int bucket = 0;
        while (bucket < BOUND_NANOS.length && nanos > BOUND_NANOS[bucket]) {
            bucket++;
        }
        buckets[bucket].increment();
        sumNanos.add(nanos);
    }

    /** @return calls of at most {@code BOUNDS[index]} seconds (index {@code BOUNDS.length}: all calls) */
    long cumulative(int index) {
        long total = 0;
        for (int i = 0; i <= index; i++) {
            total += buckets[i].sum();
        }
        return total;
    }

    long count() {
        return cumulative(BOUNDS.length);
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
