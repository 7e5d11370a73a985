package org.multiwebsocket.gateway;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.Future;
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
 * <p>They come from the container's {@link ManagedThreadFactory}, so handlers run with the
 * application's context (CDI, JNDI, its class loader). The context is captured once per thread
 * rather than once per submitted task, which on Payara is the costly part of a managed executor.
 */
@ApplicationScoped
public class Workers {

    @Resource
    ManagedThreadFactory threadFactory;
    @Inject
    GatewayConfig config;

    private ThreadPoolExecutor pool;
    private ScheduledThreadPoolExecutor timer;

    @PostConstruct
    void start() {
        int size = config.workerThreads();
        pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named("multiwebsocket-call-"));
        pool.allowCoreThreadTimeOut(true);
        timer = new ScheduledThreadPoolExecutor(1, named("multiwebsocket-timer-"));
        timer.setRemoveOnCancelPolicy(true);
    }

    private ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = threadFactory.newThread(task);
            thread.setName(prefix + counter.incrementAndGet());
            return thread;
        };
    }

    /** @return the timer thread's executor, which captures no context */
    ScheduledExecutorService timer() {
        return timer;
    }

    Future<?> submit(Runnable task) {
        return pool.submit(task);
    }

    ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        return timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    ScheduledFuture<?> every(Runnable task, long periodMs) {
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

    @PreDestroy
    void stop() {
        pool.shutdownNow();
        timer.shutdownNow();
    }
}
