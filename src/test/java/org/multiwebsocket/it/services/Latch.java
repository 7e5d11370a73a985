package org.multiwebsocket.it.services;

import org.multiwebsocket.service.Service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A latch the tests observe instead of guessing with a sleep: a call records under its {@code key}
 * that its handler started, waits until the test opens that key (at most {@code maxMs}), and records
 * how it ended: finished, or interrupted. The test reads the record with {@code test/latch/state} and
 * opens the key with {@code test/latch/open}, over HTTP or another socket, so the socket under test
 * sees no extra frame. Use a fresh key per test.
 */
@Service(value = "/test/latch/", description = "Waits until the test opens it, and tells how far it got")
public class Latch {

    /** Nobody waits longer than this, whatever a test asks. */
    private static final long MAX_WAIT_MS = 60_000;

    private static final ConcurrentMap<String, Record> RECORDS = new ConcurrentHashMap<>();

    /** What happened to the calls under one key. */
    static final class Record {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();
        final CountDownLatch open = new CountDownLatch(1);

        Map<String, Integer> asMap() {
            return Map.of("started", started.get(), "finished", finished.get(), "interrupted", interrupted.get(),
                    "open", open.getCount() == 0 ? 1 : 0);
        }
    }

    static Record record(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a latch needs a key");
        }
        return RECORDS.computeIfAbsent(key, k -> new Record());
    }

    /**
     * @param key   the record to write to
     * @param maxMs how long to wait at most for the key to be opened; 0 does not wait
     */
    public record Params(String key, long maxMs) {
    }

    /** @return "opened" when the key was (or became) open, "elapsed" when maxMs passed first */
    public String call(Params params) throws InterruptedException {
        Record record = record(params.key());
        record.started.incrementAndGet();
        boolean opened;
        try {
            opened = record.open.await(Math.max(0, Math.min(params.maxMs(), MAX_WAIT_MS)), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            record.interrupted.incrementAndGet();
            throw e;
        }
        record.finished.incrementAndGet();
        return opened ? "opened" : "elapsed";
    }

    /** The key whose record to read or open. */
    public record Key(String key) {
    }

    /** Opens a key: the calls waiting on it finish, and later ones do not wait. */
    @Service(value = "/test/latch/open/", description = "Opens a latch")
    public static class Open {
        public boolean call(Key key) {
            record(key.key()).open.countDown();
            return true;
        }
    }

    /** How many calls under a key started, finished and were interrupted, and whether it is open (1). */
    @Service(value = "/test/latch/state/", description = "Tells how far the calls on a latch got")
    public static class State {
        public Map<String, Integer> call(Key key) {
            return record(key.key()).asMap();
        }
    }
}
