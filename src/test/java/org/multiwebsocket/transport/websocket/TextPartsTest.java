package org.multiwebsocket.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextPartsTest {

    private final TextParts parts = new TextParts();

    @Test
    void anUnfragmentedFrameIsHandedOverAsItIs() {
        String frame = "{\"jsonrpc\":\"2.0\"}";
        assertSame(frame, parts.add(frame, true, 100));
    }

    @Test
    void fragmentsAreJoinedUntilTheLastAndTheNextMessageStartsAfresh() {
        assertNull(parts.add("{\"a\":", false, 100));
        assertNull(parts.add("\"é", false, 100));
        assertEquals("{\"a\":\"é\"}", parts.add("\"}", true, 100));
        assertEquals("next", parts.add("next", true, 100));
    }

    @Test
    void aMessageLongerThanTheLimitIsHandedOverBeforeItsLastPart() {
        assertNull(parts.add("x".repeat(60), false, 100));
        assertEquals(120, parts.add("x".repeat(60), false, 100).length());
        assertEquals(101, parts.add("y".repeat(101), false, 100).length());
        assertEquals("z", parts.add("z", true, 100));
    }

    @Test
    void aFirstPartAloneOverTheLimitIsHandedOverAtOnce() {
        assertEquals(101, parts.add("ä".repeat(101), false, 100).length());
        assertNull(parts.add("日本", false, 100));
        assertEquals("日本語", parts.add("語", true, 100));
    }

    @Test
    void aMessageIsUnfinishedFromItsFirstPartUntilItIsHandedOver() {
        assertEquals(0, parts.unfinishedFor(System.nanoTime()));
        parts.add("{\"a\":", false, 100);
        long later = System.nanoTime() + 5_000_000_000L;
        assertTrue(parts.unfinishedFor(later) >= 5_000_000_000L);
        assertTrue(parts.unfinishedFor(later) < 6_000_000_000L);
        parts.add("1}", true, 100);
        assertEquals(0, parts.unfinishedFor(later));
        parts.add("whole", true, 100);
        assertEquals(0, parts.unfinishedFor(later), "an unfragmented frame is never unfinished");
    }
}
