package org.multiwebsocket.push;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one after another, in the order given, on a shared pool: one topic's deliveries keep
 * their order without holding a thread of their own.
 */
final class SerialExecutor implements Executor {

    private final Executor pool;
    private final int maxQueued;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool, int maxQueued) {
        this.pool = pool;
        this.maxQueued = maxQueued;
    }

    /** @throws IllegalStateException when {@code maxQueued} tasks are waiting already */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (tasks.size() >= maxQueued) {
                throw new IllegalStateException("more than " + maxQueued + " deliveries are waiting");
            }
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(SerialExecutor.class.getName())
                        .log(java.util.logging.Level.WARNING, "a delivery failed", e);
            }
        }
    }
}
