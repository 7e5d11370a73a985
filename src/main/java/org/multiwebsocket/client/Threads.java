package org.multiwebsocket.client;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of a connected client, all daemons named after it: one timer (deadlines, pings,
 * retries), workers on demand (completing futures, connection attempts), and two for the HTTP client.
 */
final class Threads {

    final ScheduledThreadPoolExecutor timer;
    final ExecutorService worker;
    final ExecutorService http;

    Threads(String name) {
        timer = new ScheduledThreadPoolExecutor(1, daemon(name + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        worker = Executors.newCachedThreadPool(daemon(name + "-worker"));
        http = Executors.newFixedThreadPool(2, daemon(name + "-http"));
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Runs the task on a worker of {@code threads}; here before they were started or once they are shut down. */
    static void execute(Threads threads, Runnable task) {
        if (threads == null) {
            task.run();
        } else {
            threads.execute(task);
        }
    }

    /** Runs the task on a worker, or here once the workers are shut down. */
    void execute(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException closing) {
            task.run();
        }
    }

    /** Ends every thread, waiting a little for each. */
    void shutdown() {
        List<ExecutorService> all = List.of(timer, worker, http);
        all.forEach(ExecutorService::shutdownNow);
        try {
            for (ExecutorService threads : all) {
                threads.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
