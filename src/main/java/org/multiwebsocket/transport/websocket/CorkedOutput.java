package org.multiwebsocket.transport.websocket;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An upgraded connection's output as the container's WebSocket implementation writes it, where the
 * flushes the reading thread asks for while it handles what it has just read wait until it is done
 * with that read: the answers to the frames of one read leave in one write to the socket, not one
 * each.
 *
 * <p>Why: Tyrus's servlet writer flushes after every frame, so each answer cost a write system call
 * and, on loopback, the peer's whole receive path too; its batching API ({@code setBatchingAllowed}) is
 * not implemented. Pipelining clients send many calls per read (about seven in the benchmark), and the
 * gateway answers non-blocking handlers on the reading thread. The reading thread is known from its
 * input ({@link LimitedInput}): it {@link #hold holds} after each read that returned bytes and {@link
 * #release releases} when it next asks whether more can be read, reads again or asks what is
 * available, so nothing it wrote waits for more input, and a blocking reader flushes before it blocks.
 * Flushes from any other thread (workers, streams, topics) go out at once, and take what the reader
 * held with them; a close flushes what was held first. Writes are serialised here, because a held
 * flush is released outside the implementation's own lock.
 */
final class CorkedOutput extends ServletOutputStream {

    private static final Logger LOG = Logger.getLogger(CorkedOutput.class.getName());

    private final ServletOutputStream out;
    /** The thread handling what it has just read, whose flushes are held; null when none. */
    private volatile Thread reader;
    /** Guarded by this: a flush was asked for and held. */
    private boolean held;

    CorkedOutput(ServletOutputStream out) {
        this.out = out;
    }

    /** The current thread has read input and will now handle it: its flushes are held. */
    void hold() {
        reader = Thread.currentThread();
    }

    /** The current thread is done with what it read: whatever its flushes held goes out now. */
    void release() {
        if (reader != Thread.currentThread()) {
            return;
        }
        reader = null;
        try {
            flushHeld();
        } catch (IOException e) {
            LOG.log(Level.FINE, "a held flush failed; the connection's input will find it gone", e);
        }
    }

    /** Flushes what was held, whoever holds it. */
    synchronized void flushHeld() throws IOException {
        if (held) {
            held = false;
            out.flush();
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
        if (reader == Thread.currentThread()) {
            synchronized (this) {
                held = true;
            }
            return;
        }
        synchronized (this) {
            held = false;
            out.flush();
        }
    }

    @Override
    public boolean isReady() {
        return out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        out.setWriteListener(listener);
    }

    @Override
    public synchronized void close() throws IOException {
        held = false;
        out.close();
    }
}
