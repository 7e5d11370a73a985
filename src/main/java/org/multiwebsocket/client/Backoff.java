package org.multiwebsocket.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try connecting again: exponential backoff with jitter, never sooner than the server's
 * {@code Retry-After}. A socket resets the backoff only when it is lost after staying up
 * {@code resetAfterMs}: one that a gateway accepts and closes at once counts as a failure.
 * Not thread-safe: the client calls it under its lock.
 */
final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final long resetAfterNanos;
    private int failures;
    private long upSinceNanos;
    private boolean up;

    Backoff(long initialMs, long maxMs, long resetAfterMs) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.resetAfterNanos = resetAfterMs * 1_000_000;
    }

    /**
     * @param retryAfterMs what the server asked for, or 0
     * @return the delay before the next attempt: between half and all of {@code initialMs * 2^failures}
     *         (at most {@code maxMs}), or {@code retryAfterMs} if that is longer
     */
    long nextDelayMs(long retryAfterMs) {
        int doublings = Math.min(failures++, 62);
        long delay = initialMs > maxMs >> doublings ? maxMs : initialMs << doublings;
        long jittered = delay - ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        return Math.max(jittered, retryAfterMs);
    }

    /** A socket opened. */
    void up(long nowNanos) {
        up = true;
        upSinceNanos = nowNanos;
    }

    /** The socket was lost. */
    void down(long nowNanos) {
        if (up && nowNanos - upSinceNanos >= resetAfterNanos) {
            failures = 0;
        }
        up = false;
    }
}
