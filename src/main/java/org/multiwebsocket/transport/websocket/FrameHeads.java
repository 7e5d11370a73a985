package org.multiwebsocket.transport.websocket;

/**
 * Follows the frames a client sends (RFC 6455 section 5.2) as their bytes pass, and finds the first
 * frame whose head announces a payload that would take its message past the limit, before any of that
 * payload is read. A message is a data frame and its continuation frames; control frames may come
 * between them and do not count toward it.
 */
final class FrameHeads {

    /** The longest frame head: two bytes, eight bytes of extended length, four bytes of mask. */
    static final int MAX_HEAD = 14;

    private final long limit;
    private final byte[] head = new byte[MAX_HEAD];
    private int headBytes;
    private long payloadLeft;
    private long messageBytes;
    private long frameBytes;
    private boolean exceeded;

    /** @param limit the most payload bytes a message may have */
    FrameHeads(long limit) {
        this.limit = limit;
    }

    /** @return the most bytes one frame within the limit takes on the wire */
    static int largestFrame(int limit) {
        return (int) Math.min(Integer.MAX_VALUE, (long) limit + MAX_HEAD);
    }

    /**
     * Takes the next bytes of the stream.
     *
     * @return how many of them may pass: all of them, or those before the head of the first frame
     *         over the limit; none once a frame was over it
     */
    int admit(byte[] bytes, int offset, int length) {
        int i = 0;
        while (i < length && !exceeded) {
            if (payloadLeft > 0) {
                int take = (int) Math.min(payloadLeft, length - i);
                payloadLeft -= take;
                frameBytes += take;
                i += take;
                if (payloadLeft == 0) {
                    frameBytes = 0;
                }
                continue;
            }
            head[headBytes++] = bytes[offset + i++];
            frameBytes++;
            if (headBytes == headLength()) {
                startPayload();
                if (exceeded) {
                    return Math.max(0, i - headBytes);
                }
                headBytes = 0;
                if (payloadLeft == 0) {
                    frameBytes = 0;
                }
            }
        }
        return exceeded ? 0 : length;
    }

    /** @return whether a frame was over the limit; nothing after its head may pass */
    boolean exceeded() {
        return exceeded;
    }

    /** @return the bytes of the frame under way that have passed, head included; 0 between frames */
    long frameBytes() {
        return frameBytes;
    }

    private int headLength() {
        if (headBytes < 2) {
            return 2;
        }
        int lengthCode = head[1] & 0x7F;
        return 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + ((head[1] & 0x80) != 0 ? 4 : 0);
    }

    private void startPayload() {
        int lengthCode = head[1] & 0x7F;
        long payload = lengthCode < 126 ? lengthCode : 0;
        for (int i = 0, n = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0; i < n; i++) {
            payload = (payload << 8) | (head[2 + i] & 0xFF);
        }
        boolean control = (head[0] & 0x08) != 0;
        boolean continuation = (head[0] & 0x0F) == 0;
        long before = control || !continuation ? 0 : messageBytes;
        if (payload < 0 || payload > limit - before) {
            exceeded = true;
            return;
        }
        if (!control) {
            messageBytes = (head[0] & 0x80) != 0 ? 0 : before + payload;
        }
        payloadLeft = payload;
    }
}
