package org.multiwebsocket.transport.websocket;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameHeadsTest {

    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int PING = 0x9;

    /** A masked client frame with {@code payload} bytes of payload. */
    private static byte[] frame(boolean fin, int opcode, int payload) {
        return concat(head(fin, opcode, payload), new byte[payload]);
    }

    private static byte[] head(boolean fin, int opcode, long payload) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write((fin ? 0x80 : 0) | opcode);
        if (payload >= 0 && payload < 126) {
            head.write(0x80 | (int) payload);
        } else if (payload >= 0 && payload < 65_536) {
            head.write(0x80 | 126);
            head.write((int) (payload >> 8));
            head.write((int) payload);
        } else {
            head.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                head.write((int) (payload >> (8 * i)));
            }
        }
        head.writeBytes(new byte[]{1, 2, 3, 4});
        return head.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** Feeds the bytes one at a time and returns how many passed. */
    private static int byteByByte(FrameHeads heads, byte[] bytes) {
        int passed = 0;
        for (int i = 0; i < bytes.length; i++) {
            passed += heads.admit(bytes, i, 1);
        }
        return passed;
    }

    @Test
    void framesWithinTheLimitPassWholeInOneChunkOrByteByByte() {
        byte[] frames = concat(frame(true, TEXT, 100), frame(true, TEXT, 0), frame(true, TEXT, 300), frame(true, PING, 5));
        FrameHeads chunk = new FrameHeads(300);
        assertEquals(frames.length, chunk.admit(frames, 0, frames.length));
        assertFalse(chunk.exceeded());
        assertEquals(0, chunk.frameBytes());
        FrameHeads single = new FrameHeads(300);
        assertEquals(frames.length, byteByByte(single, frames));
        assertFalse(single.exceeded());
    }

    @Test
    void aFrameOverTheLimitIsStoppedAtItsHeadAndNothingPassesAfterIt() {
        byte[] first = frame(true, TEXT, 200);
        byte[] stream = concat(first, frame(true, TEXT, 301), frame(true, TEXT, 1));
        FrameHeads heads = new FrameHeads(300);
        assertEquals(first.length, heads.admit(stream, 0, stream.length));
        assertTrue(heads.exceeded());
        assertEquals(0, heads.admit(stream, 0, stream.length));
    }

    @Test
    void aHeadAnnouncingFiftyMebibytesOrAnImpossibleLengthIsStoppedBeforeItsPayload() {
        for (long announced : new long[]{50L << 20, Long.MAX_VALUE, -1L}) {
            byte[] head = head(true, TEXT, announced);
            FrameHeads heads = new FrameHeads(65_536);
            assertEquals(head.length - 1, byteByByte(heads, head), "the head passes up to its last byte");
            assertTrue(heads.exceeded(), "announced " + announced);
        }
    }

    @Test
    void fragmentsCountTogetherAndControlFramesBetweenThemDoNot() {
        byte[] allowed = concat(frame(false, TEXT, 40), frame(true, PING, 100), frame(false, CONTINUATION, 40),
                frame(true, CONTINUATION, 20));
        FrameHeads heads = new FrameHeads(100);
        assertEquals(allowed.length, heads.admit(allowed, 0, allowed.length));
        assertFalse(heads.exceeded());

        byte[] next = concat(frame(false, TEXT, 60), frame(false, CONTINUATION, 40));
        byte[] over = frame(true, CONTINUATION, 1);
        byte[] stream = concat(next, over);
        assertEquals(next.length, heads.admit(stream, 0, stream.length));
        assertTrue(heads.exceeded());
    }

    @Test
    void frameBytesCountsTheFrameUnderWayHeadIncluded() {
        byte[] frame = frame(true, TEXT, 1_000);
        FrameHeads heads = new FrameHeads(65_536);
        heads.admit(frame, 0, 300);
        assertEquals(300, heads.frameBytes());
        heads.admit(frame, 300, frame.length - 300);
        assertEquals(0, heads.frameBytes());
    }

    @Test
    void theLargestFrameIsTheLimitAndTheLongestHead() {
        assertEquals(65_536 + 14, FrameHeads.largestFrame(65_536));
        assertEquals(Integer.MAX_VALUE, FrameHeads.largestFrame(Integer.MAX_VALUE - 1));
    }
}
