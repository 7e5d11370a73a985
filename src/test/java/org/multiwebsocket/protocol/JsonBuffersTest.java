package org.multiwebsocket.protocol;

import org.eclipse.parsson.api.BufferPool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The buffers Parsson's parsers and generators work in, kept one per thread's slot. */
class JsonBuffersTest {

    /** A pool of the test's own: the shared one is used by whatever else runs in this JVM. */
    private final BufferPool pool = new JsonBuffers.PerThread();

    @Test
    void parssonsFactoriesAreMadeWithThePool() {
        assertInstanceOf(JsonBuffers.PerThread.class, JsonBuffers.CONFIG.get(BufferPool.class.getName()));
    }

    @Test
    void aThreadTakesAgainTheBufferItRecycled() {
        char[] first = pool.take();
        pool.recycle(first);
        assertSame(first, pool.take());
    }

    @Test
    void aSecondTakeBeforeTheFirstIsRecycledGetsAnotherBuffer() {
        char[] outer = pool.take();
        char[] inner = pool.take();
        assertNotSame(outer, inner);
        pool.recycle(inner);
        pool.recycle(outer);
    }

    @Test
    void aBufferThatGrewPastTheLargestIsNotKept() {
        pool.recycle(pool.take());
        char[] grown = new char[4 * 4096 + 1];
        pool.recycle(grown);
        assertNotSame(grown, pool.take());
    }

    @Test
    void noBufferIsEverHeldByTwoThreadsAtOnce() throws Exception {
        int threads = 200; // more than the slots: threads share them
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> clashes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                char mark = (char) ('A' + t);
                clashes.add(pool.submit(() -> {
                    int clashed = 0;
                    for (int i = 0; i < 2_000; i++) {
                        char[] buffer = this.pool.take();
                        Arrays.fill(buffer, 0, 64, mark);
                        Thread.yield();
                        for (int c = 0; c < 64; c++) {
                            if (buffer[c] != mark) {
                                clashed++;
                                break;
                            }
                        }
                        this.pool.recycle(buffer);
                    }
                    return clashed;
                }));
            }
            int clashed = 0;
            for (Future<Integer> done : clashes) {
                clashed += done.get(60, SECONDS);
            }
            assertEquals(0, clashed, "buffers written by another thread while held");
        } finally {
            pool.shutdownNow();
        }
    }
}
