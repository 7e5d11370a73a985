package org.multiwebsocket.transport.websocket;

import jakarta.servlet.ReadListener;
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
 * input ({@link CorkedInput}): it {@link #hold holds} after each read that returned bytes and {@link
 * #release releases} when it next asks whether more can be read, reads again or asks what is
 * available, and in any case when the container's read callback returns, so nothing it wrote waits
 * for more input, and a blocking reader flushes before it blocks. Flushes from any other thread
 * (workers, streams, topics, pings) go out at once and take what the reader held with them; a close
 * flushes what was held first. Every call into the container's stream is serialised here, because a
 * held flush is released outside the implementation's own lock; this lock is the last one taken (no
 * container callback runs while it is held: Payara hands write-possible callbacks that {@code isReady}
 * sets off to an executor).
 *
 * <p>A held flush that fails does not go unnoticed, though the sends it carried were already reported
 * done: the next write or flush throws its exception, which the implementation reports as a failed
 * send (the connection then closes); until then the read side, which sees the broken socket, or the
 * heartbeat closes it.
 */
final class CorkedOutput extends ServletOutputStream {

    private static final Logger LOG = Logger.getLogger(CorkedOutput.class.getName());

    private final ServletOutputStream out;
    /** The thread handling what it has just read, whose flushes are held; null when none. */
    private volatile Thread reader;
    /** Guarded by this: a flush was asked for and held. */
    private boolean held;
    /** Guarded by this: a held flush failed; thrown at the next write or flush. */
    private IOException failed;

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
        synchronized (this) {
            if (!held) {
                return;
            }
            held = false;
            try {
                out.flush();
            } catch (IOException e) {
                LOG.log(Level.FINE, "a held flush failed", e);
                failed = e;
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "a held flush failed", e);
                failed = new IOException(e);
            }
        }
    }

    /**
     * @param listener the implementation's read listener
     * @return the listener, releasing what its reader held whenever one of its callbacks returns, however
     *         its read loop ended (Payara then no longer recognises it as Tyrus's: its request tracing,
     *         when enabled, does not trace WebSocket reads)
     */
    ReadListener releasingAfter(ReadListener listener) {
        return new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
                try {
                    listener.onDataAvailable();
                } finally {
                    release();
                }
            }

            @Override
            public void onAllDataRead() throws IOException {
                try {
                    listener.onAllDataRead();
                } finally {
                    release();
                }
            }

            @Override
            public void onError(Throwable t) {
                try {
                    listener.onError(t);
                } finally {
                    release();
                }
            }
        };
    }

    /** Flushes what was held, whoever holds it (the connection is closing). */
    synchronized void flushHeld() throws IOException {
        reader = null;
        if (held) {
            held = false;
            out.flush();
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        throwFailure();
        out.write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        throwFailure();
        out.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
        if (reader == Thread.currentThread()) {
            synchronized (this) {
                throwFailure();
                held = true;
            }
            return;
        }
        synchronized (this) {
            throwFailure();
            held = false;
            out.flush();
        }
    }

    private void throwFailure() throws IOException {
        if (failed != null) {
            throw new IOException("an earlier flush failed", failed);
        }
    }

    @Override
    public synchronized boolean isReady() {
        return out.isReady();
    }

    @Override
    public synchronized void setWriteListener(WriteListener listener) {
        out.setWriteListener(listener);
    }

    @Override
    public synchronized void close() throws IOException {
        reader = null;
        held = false;
        out.close();
    }
}
