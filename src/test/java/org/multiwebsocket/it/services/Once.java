package org.multiwebsocket.it.services;

import jakarta.inject.Inject;
import org.multiwebsocket.service.Service;
import org.multiwebsocket.session.Sessions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts its runs per key, for the tests that prove a call ran once; and tells whether a session is still held. */
public final class Once {

    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    private Once() {
    }

    /** Counts a run of {@code key}, sleeps {@code ms}, answers how many runs {@code key} has had. */
    @Service(value = "test/once", description = "Counts its runs per key")
    public static class Run {

        public record Params(String key, long ms) {
        }

        public int call(Params params) throws InterruptedException {
            RUNS.computeIfAbsent(params.key(), k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(params.ms());
            return RUNS.get(params.key()).get();
        }
    }

    /** Answers how many runs {@code key} has had. */
    @Service(value = "test/once/runs", description = "Runs of a key so far")
    public static class Runs {

        public record Params(String key) {
        }

        public int call(Params params) {
            AtomicInteger runs = RUNS.get(params.key());
            return runs == null ? 0 : runs.get();
        }
    }

    /** Answers whether this node still holds the session. */
    @Service(value = "test/sessions", description = "Whether this node holds a session")
    public static class Held {

        public record Params(String session) {
        }

        @Inject
        Sessions sessions;

        public boolean call(Params params) {
            return sessions.holds(params.session());
        }
    }
}
