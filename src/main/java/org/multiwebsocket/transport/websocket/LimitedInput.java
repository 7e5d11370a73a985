package org.multiwebsocket.transport.websocket;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.IOException;

/**
 * An upgraded connection's input as the container's WebSocket implementation reads it, cut off at the
 * head of the first frame that would take a message past {@code maxMessageBytes}: the implementation
 * never sees that frame's payload, and the connection is told to close with 1009 as soon as the head
 * has arrived, however long the frame claims to be. Whatever the client sends after it is read and
 * dropped until the connection is gone.
 *
 * <p>Reads never reach past what one frame within the limit takes on the wire, counted from the start
 * of the frame under way, so the implementation's incoming buffer of that size ({@link
 * TyrusIncomingBuffer}) cannot overflow when the end of one frame and the start of the next arrive in
 * the same read. A read after the cut returns 0 bytes, which the non-blocking reader (Tyrus's upgrade
 * handler) takes as nothing to read now.
 */
final class LimitedInput extends ServletInputStream {

    private final ServletInputStream in;
    private final InboundLimit limit;
    private final FrameHeads heads;
    private final int largestFrame;
    private volatile boolean reported;
    private byte[] dropped;

    LimitedInput(ServletInputStream in, InboundLimit limit) {
        this.in = in;
        this.limit = limit;
        this.heads = new FrameHeads(limit.maxMessageBytes());
        this.largestFrame = FrameHeads.largestFrame(limit.maxMessageBytes());
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        report();
        if (heads.exceeded()) {
            drop();
            return 0;
        }
        int read = in.read(bytes, offset, (int) Math.min(length, largestFrame - heads.frameBytes()));
        if (read <= 0) {
            return read;
        }
        return heads.admit(bytes, offset, read);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
    }

    @Override
    public int available() throws IOException {
        report();
        return heads.exceeded() ? 0 : (int) Math.min(in.available(), largestFrame - heads.frameBytes());
    }

    @Override
    public boolean isReady() {
        report();
        return in.isReady();
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Tells the connection once the cut was made, on the reader's next call: by then it has handled
     * the frames before the cut.
     */
    private void report() {
        if (heads.exceeded() && !reported) {
            reported = true;
            limit.exceeded();
        }
    }

    private void drop() throws IOException {
        if (dropped == null) {
            dropped = new byte[8192];
        }
        int read;
        do {
            read = in.isReady() ? in.read(dropped) : 0;
        } while (read > 0);
    }
}
