package org.multiwebsocket.protocol;

import jakarta.json.spi.JsonProvider;
import org.eclipse.parsson.api.BufferPool;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The configuration every JSON-P factory of the project is made with: with Parsson (Payara's JSON-P,
 * and the Java client's), the working buffer of a parser or generator is kept in a slot per thread
 * rather than in Parsson's shared pool, whose queue costs a node and two contended operations per use,
 * more than reading a small frame's envelope. At most 64 spare buffers of at most 16 384 chars (32 KB)
 * are kept. With another JSON-P implementation, or a Parsson the application's class loader sees
 * as a different copy from the provider's, the configuration is empty and its own defaults apply.
 */
public final class JsonBuffers {

    /** The factory configuration: Parsson's buffer pool property, or nothing. */
    public static final Map<String, ?> CONFIG = config();

    private JsonBuffers() {
    }

    private static Map<String, ?> config() {
        try {
            return Parsson.config();
        } catch (LinkageError absent) {
            return Map.of();
        }
    }

    /** Loaded only when Parsson's API is visible. */
    private static final class Parsson {
        static Map<String, ?> config() {
            ClassLoader provider = JsonProvider.provider().getClass().getClassLoader();
            try {
                if (provider == null || Class.forName(BufferPool.class.getName(), false, provider) != BufferPool.class) {
                    return Map.of();
                }
            } catch (ClassNotFoundException notParsson) {
                return Map.of();
            }
            return Map.of(BufferPool.class.getName(), new PerThread());
        }
    }

    /**
     * One spare buffer per slot, the slot chosen by the thread's id: a thread that recycles a buffer takes it
     * again at its next use. Not a {@code ThreadLocal}: a container thread's map holds many, often stale,
     * entries, and the lookups probed past them on every frame. A buffer that grew past {@link #LARGEST} is
     * left to the collector; a slot another thread emptied means a new buffer.
     */
    static final class PerThread implements BufferPool {
        private static final int SIZE = 4096;
        private static final int LARGEST = 4 * SIZE;
        private static final int SLOTS = 64;
        /** Slots 16 references apart, so that threads of neighbouring ids do not share a cache line. */
        private static final int STRIDE = 16;
        private final AtomicReferenceArray<char[]> spare = new AtomicReferenceArray<>(SLOTS * STRIDE);

        private static int slot() {
            return (int) (Thread.currentThread().getId() & (SLOTS - 1)) * STRIDE;
        }

        @Override
        public char[] take() {
            char[] buffer = spare.getAndSet(slot(), null);
            return buffer != null ? buffer : new char[SIZE];
        }

        @Override
        public void recycle(char[] buffer) {
            if (buffer.length <= LARGEST) {
                spare.set(slot(), buffer);
            }
        }
    }
}
