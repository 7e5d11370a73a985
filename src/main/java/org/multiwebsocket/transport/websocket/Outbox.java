package org.multiwebsocket.transport.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A connection's outgoing frames, sent one at a time with the asynchronous remote: no thread blocks
 * on a slow client, and no container sees two sends on one connection at once (several forbid it).
 * Its queue is made by the first frame that has to wait for another: an idle connection has none.
 */
final class Outbox {

    private static final AtomicIntegerFieldUpdater<Outbox> SENDING =
            AtomicIntegerFieldUpdater.newUpdater(Outbox.class, "sending");
    private static final AtomicLongFieldUpdater<Outbox> QUEUED_CHARS =
            AtomicLongFieldUpdater.newUpdater(Outbox.class, "queuedChars");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Outbox, Queue> QUEUE =
            AtomicReferenceFieldUpdater.newUpdater(Outbox.class, Queue.class, "queue");

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private static final CloseReason SEND_FAILED = new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION,
            "an answer could not be sent");

    private final RemoteEndpoint.Async remote;
    private final long maxBytes;
    private final Consumer<CloseReason> closer;
    private final Runnable idle;
    /** Made by the first frame; frames wait in it while another is being sent. */
    private volatile Queue<Object> queue;
    /** 1 while a frame is being sent. */
    private volatile int sending;
    private volatile long queuedChars;
    private volatile boolean closed;

    /**
     * @param remote   where frames go
     * @param maxBytes how much may wait unsent (counted in characters, a lower bound of the bytes); one
     *                 larger answer alone is still sent
     * @param closer   closes the connection when a send fails or the client does not read fast enough
     * @param idle     told whenever everything handed to the outbox has been written
     */
    Outbox(RemoteEndpoint.Async remote, long maxBytes, Consumer<CloseReason> closer, Runnable idle) {
        this.remote = remote;
        this.maxBytes = maxBytes;
        this.closer = closer;
        this.idle = idle;
    }

    /** A frame whose writing someone waits for (a stream's item: the next one is asked for then). */
    private record Tracked(String text, Runnable written) {
    }

    void send(String text) {
        enqueue(text, text);
    }

    /**
     * @param text    the frame
     * @param written runs once the frame has been written (not when the outbox is closed first)
     */
    void send(String text, Runnable written) {
        enqueue(new Tracked(text, written), text);
    }

    private void enqueue(Object entry, String text) {
        if (closed) {
            return;
        }
        long queued = QUEUED_CHARS.addAndGet(this, text.length());
        if (queued > maxBytes && queued > text.length()) {
            close();
            closer.accept(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY,
                    "slow consumer: more than " + maxBytes + " bytes of answers unread"));
            return;
        }
        queue().add(entry);
        drain();
    }

    /** @return whether every frame handed to the outbox has been written */
    boolean isIdle() {
        return closed || queuedChars == 0;
    }

    void close() {
        closed = true;
        Queue<Object> waiting = queue;
        if (waiting != null) {
            waiting.clear();
        }
    }

    private Queue<Object> queue() {
        Queue<Object> waiting = queue;
        if (waiting == null) {
            QUEUE.compareAndSet(this, null, new ConcurrentLinkedQueue<>());
            waiting = queue;
        }
        return waiting;
    }

    private void drain() {
        Queue<Object> waiting = queue();
        while (!closed && SENDING.compareAndSet(this, 0, 1)) {
            Object entry = waiting.poll();
            if (entry == null) {
                sending = 0;
                if (waiting.isEmpty()) {
                    return;
                }
                continue;
            }
            String next = entry instanceof Tracked tracked ? tracked.text() : (String) entry;
            Sent sent = new Sent(next.length(), entry instanceof Tracked tracked ? tracked.written() : null);
            Thread thread = Thread.currentThread();
            ClassLoader application = thread.getContextClassLoader();
            // Payara's Tyrus schedules an idle-timeout task on a managed executor for every frame sent,
            // and capturing its context scans the context class loader's whole class path. With the
            // platform loader there is nothing to scan; nothing in a send needs the application's.
            thread.setContextClassLoader(PLATFORM);
            try {
                remote.sendText(next, sent);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "send failed", e);
                close();
                sending = 0;
                closer.accept(SEND_FAILED);
                return;
            } finally {
                thread.setContextClassLoader(application);
            }
            if (sent.state.getAndSet(Sent.RETURNED) != Sent.COMPLETED) {
                return;
            }
            sending = 0;
        }
    }

    /** Completion of one send; when it completes after sendText returned, it continues the drain. */
    private final class Sent implements SendHandler {
        static final int PENDING = 0;
        static final int RETURNED = 1;
        static final int COMPLETED = 2;
        final AtomicInteger state = new AtomicInteger(PENDING);
        final int chars;

        final Runnable written;

        Sent(int chars, Runnable written) {
            this.chars = chars;
            this.written = written;
        }

        @Override
        public void onResult(SendResult result) {
            if (QUEUED_CHARS.addAndGet(Outbox.this, -chars) == 0) {
                idle.run();
            }
            if (written != null && result.isOK()) {
                written.run();
            }
            if (!result.isOK()) {
                LOG.log(Level.FINE, "send failed", result.getException());
                close();
                closer.accept(SEND_FAILED);
            }
            if (state.getAndSet(COMPLETED) == RETURNED) {
                sending = 0;
                drain();
            }
        }
    }
}
