package org.multiwebsocket.it.services;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import org.multiwebsocket.service.Service;
import org.multiwebsocket.service.ServiceException;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams {@code count} items {@code {"n": i, "pad": "..."}} as fast as demand allows (or
 * {@code delayMs} apart), failing after {@code failAfter} items when that is not negative; records how
 * far demand ever ran ahead of the items and how many streams were cancelled, for the tests.
 */
@Service(value = "test/stream", description = "A test stream")
public class Streamer {

    static final AtomicInteger CANCELLED = new AtomicInteger();
    static final AtomicLong MOST_DEMAND = new AtomicLong();

    public record Params(int count, long delayMs, int failAfter, int size) {
    }

    public record Item(int n, String pad) {
    }

    @Resource
    ManagedExecutorService executor;

    public Flow.Publisher<Item> call(Params params) {
        return subscriber -> {
            AtomicLong demand = new AtomicLong();
            AtomicBoolean cancelled = new AtomicBoolean();
            Object lock = new Object();
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    synchronized (lock) {
                        MOST_DEMAND.accumulateAndGet(demand.addAndGet(n), Math::max);
                        lock.notifyAll();
                    }
                }

                @Override
                public void cancel() {
                    if (cancelled.compareAndSet(false, true)) {
                        CANCELLED.incrementAndGet();
                    }
                    synchronized (lock) {
                        lock.notifyAll();
                    }
                }
            });
            executor.execute(() -> {
                String pad = "x".repeat(Math.max(0, params.size()));
                try {
                    for (int i = 1; i <= params.count(); i++) {
                        synchronized (lock) {
                            while (demand.get() == 0 && !cancelled.get()) {
                                lock.wait();
                            }
                        }
                        if (cancelled.get()) {
                            return;
                        }
                        if (params.delayMs() > 0) {
                            Thread.sleep(params.delayMs());
                        }
                        if (params.failAfter() >= 0 && i > params.failAfter()) {
                            subscriber.onError(new ServiceException(4242, "failed after " + params.failAfter() + " items"));
                            return;
                        }
                        demand.decrementAndGet();
                        subscriber.onNext(new Item(i, pad));
                    }
                    subscriber.onComplete();
                } catch (InterruptedException e) {
                    subscriber.onError(e);
                }
            });
        };
    }
}
