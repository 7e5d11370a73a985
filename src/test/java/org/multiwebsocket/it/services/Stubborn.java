package org.multiwebsocket.it.services;

import org.multiwebsocket.service.Service;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Works {@code ms} milliseconds and ignores interrupts, like a handler stuck in I/O that cannot be
 * interrupted; counts how many run at once.
 */
@Service(value = "test/stubborn", description = "Ignores interrupts")
public class Stubborn {

    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST_RUNNING = new AtomicInteger();

    public record Params(long ms) {
    }

    public String call(Params params) {
        MOST_RUNNING.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(params.ms());
            while (System.nanoTime() < end) {
                try {
                    Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                } catch (InterruptedException ignored) {
                    // stubborn on purpose
                }
            }
            return "done";
        } finally {
            RUNNING.decrementAndGet();
        }
    }
}
