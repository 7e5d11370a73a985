package org.multiwebsocket.push;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that deliver topic messages, apart from the handlers' workers so that a burst of
 * publishing never takes a thread a call needs. Its queue holds at most one task per busy topic.
 */
@ApplicationScoped
public class PushExecutor {

    private static final int THREADS = 2;

    @Resource
    ManagedThreadFactory threadFactory;

    private ThreadPoolExecutor pool;

    @PostConstruct
    void start() {
        AtomicInteger counter = new AtomicInteger();
        pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = threadFactory.newThread(task);
            thread.setName("multiwebsocket-push-" + counter.incrementAndGet());
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    Executor pool() {
        return pool;
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
