package org.multiwebsocket.protocol;

import jakarta.json.spi.JsonProvider;
import org.eclipse.parsson.api.BufferPool;

import java.util.Map;

/**
 * The configuration every JSON-P factory of the project is made with: with Parsson (Payara's JSON-P,
 * and the Java client's), the working buffer of a parser or generator is kept one per thread rather
 * than in Parsson's shared pool, whose queue costs a node and two contended operations per use, more
 * than reading a small frame's envelope. A thread keeps at most one spare buffer of at most 16 384
 * chars (32 KB). With another JSON-P implementation, or a Parsson the application's class loader sees
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

    /** One spare buffer per thread; a buffer that grew past {@link #LARGEST} is left to the collector. */
    private static final class PerThread implements BufferPool {
        private static final int SIZE = 4096;
        private static final int LARGEST = 4 * SIZE;
        private final ThreadLocal<char[][]> spare = ThreadLocal.withInitial(() -> new char[1][]);

        @Override
        public char[] take() {
            char[][] slot = spare.get();
            char[] buffer = slot[0];
            if (buffer == null) {
                return new char[SIZE];
            }
            slot[0] = null;
            return buffer;
        }

        @Override
        public void recycle(char[] buffer) {
            if (buffer.length <= LARGEST) {
                spare.get()[0] = buffer;
            }
        }
    }
}
