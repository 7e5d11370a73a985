package org.multiwebsocket.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The benchmark weighs the heap by the total of {@code jcmd GC.class_histogram}, the same for every collector. */
class WeighingTest {

    @Test
    void theTotalLinesBytesAreTheLiveHeap() {
        IdleStep.Weighing w = IdleStep.weighing("""
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:          5001         437112  [B (java.base@17.0.15)
                   2:          4623         110952  java.lang.String (java.base@17.0.15)
                 689:             1             16  sun.nio.fs.UnixFileAttributes$UnixAsBasicFileAttributes
                Total         46629        2309792
                """);
        assertEquals(2_309_792L, w.live());
        assertEquals(110_952L, w.classes().get("java.lang.String (java.base@17.0.15)")[1]);
        assertEquals(3, w.classes().size());
    }

    @Test
    void anAnswerWithoutATotalIsRefused() {
        assertThrows(IllegalStateException.class, () -> IdleStep.weighing("""
                12345:
                com.sun.tools.attach.AttachNotSupportedException: Unable to open socket file
                """));
    }
}
