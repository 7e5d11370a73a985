package org.multiwebsocket.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The benchmark weighs the heap from {@code jcmd GC.heap_info}, whose text differs by collector (JDK 17). */
class HeapUsedTest {

    @Test
    void g1sHeapLineIsRead() {
        assertEquals(18602L << 10, IdleStep.heapUsed("""
                 garbage-first heap   total 397312K, used 18602K [0x0000000687400000, 0x0000000800000000)
                  region size 4096K, 4 young (16384K), 0 survivors (0K)
                 Metaspace       used 8945K, committed 9152K, reserved 1114112K
                """));
    }

    @Test
    void shenandoahsHeapIsNotTakenFromTheMetaspaceLine() {
        assertEquals(20480L << 10, IdleStep.heapUsed("""
                Shenandoah Heap
                 6028M max, 6028M soft max, 378M committed, 20480K used
                 3014 x 2048K regions
                Status: not cancelled
                 Metaspace       used 71234K, committed 72000K, reserved 1114112K
                """));
    }

    @Test
    void zgcsHeapLineIsRead() {
        assertEquals(52L << 20, IdleStep.heapUsed("""
                 ZHeap           used 52M, capacity 378M, max capacity 6028M
                 Metaspace       used 8957K, committed 9152K, reserved 1114112K
                """));
    }

    @Test
    void textWithoutAHeapFigureIsRefused() {
        assertThrows(IllegalStateException.class, () -> IdleStep.heapUsed("""
                Some Heap
                 Metaspace       used 8957K, committed 9152K, reserved 1114112K
                """));
    }
}
