package org.multiwebsocket.client;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in the order given, on a pool: what one stream or one topic subscription
 * tells its subscriber or listener. A task given while one runs (even from inside it) waits its turn.
 */
final class Serial implements Executor {

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(); // guarded by this
    private boolean running; // guarded by this

    Serial(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::runAll);
    }

    private void runAll() {
        for (Runnable next; (next = next()) != null; ) {
            try {
                next.run();
            } catch (RuntimeException e) {
                Logger.getLogger(Serial.class.getName()).log(Level.WARNING, "a stream subscriber or topic listener failed", e);
            }
        }
    }

    /** @return the next task, or null when there is none (and the next {@link #execute} starts a run) */
    private synchronized Runnable next() {
        Runnable next = tasks.poll();
        running = next != null;
        return next;
    }
}
