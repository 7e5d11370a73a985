package org.multiwebsocket.dispatch;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.config.Unproxied;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run handler calls, and one timer thread for deadlines and the heartbeat.
 *
 * <p>In the container they come from its {@link ManagedThreadFactory}, so handlers run with the
 * application's context (CDI, JNDI, its class loader). The context is captured once per thread
 * rather than once per submitted task, which on Payara is the costly part of a managed executor.
 */
@ApplicationScoped
public class Workers implements Unproxied<Workers> {

    @Resource
    ManagedThreadFactory threadFactory;
    @Inject
    GatewayConfig config;

    private ThreadPoolExecutor pool;
    private ScheduledThreadPoolExecutor timer;

    /** For CDI, which starts the threads once the container's thread factory is injected. */
    protected Workers() {
    }

    private Workers(ThreadFactory factory, int threads, int queue) {
        start(factory, threads, queue);
    }

    /**
     * Workers outside a container, for tests of the dispatch core.
     *
     * @param factory makes the threads
     * @param threads threads that run calls
     * @param queue   calls that may wait for a thread
     * @return started workers; {@link #stop()} ends them
     */
    public static Workers of(ThreadFactory factory, int threads, int queue) {
        return new Workers(factory, threads, queue);
    }

    @PostConstruct
    void start() {
        start(threadFactory, config.workerThreads(), config.maxCalls());
    }

    /** The queue is bounded by the node's cap on admitted calls, which admission enforces before it. */
    private void start(ThreadFactory factory, int size, int queue) {
        pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queue),
                named(factory, "multiwebsocket-call-"));
        pool.allowCoreThreadTimeOut(true);
        timer = new ScheduledThreadPoolExecutor(1, named(factory, "multiwebsocket-timer-"));
        timer.setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory named(ThreadFactory factory, String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = factory.newThread(task);
            thread.setName(prefix + counter.incrementAndGet());
            return thread;
        };
    }

    /** @return the timer thread's executor, which captures no context */
    public ScheduledExecutorService timer() {
        return timer;
    }

    void execute(Runnable task) {
        pool.execute(task);
    }

    /**
     * @param task    what to run on the timer thread
     * @param delayMs after how long
     * @return the scheduled task
     */
    public ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        return timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * @param task     what to run on the timer thread
     * @param periodMs how often, between the end of one run and the start of the next
     * @return the scheduled task
     */
    public ScheduledFuture<?> every(Runnable task, long periodMs) {
        return timer.scheduleWithFixedDelay(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** @return whether the call and timer threads accept work */
    public boolean isRunning() {
        return !pool.isShutdown() && !timer.isShutdown();
    }

    /** @return calls waiting for a free thread */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Ends every thread. */
    @PreDestroy
    public void stop() {
        pool.shutdownNow();
        timer.shutdownNow();
    }
}
