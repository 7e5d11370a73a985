package org.multiwebsocket.transport.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A connection's outgoing frames, sent one at a time with the asynchronous remote: no thread blocks
 * on a slow client, and no container sees two sends on one connection at once (several forbid it).
 */
final class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private static final CloseReason SEND_FAILED = new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION,
            "an answer could not be sent");

    private final RemoteEndpoint.Async remote;
    private final long maxBytes;
    private final Consumer<CloseReason> closer;
    private final CloseReason overflow;
    private final Runnable idle;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicLong queuedChars = new AtomicLong();
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
        this.overflow = new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY,
                "slow consumer: more than " + maxBytes + " bytes of answers unread");
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
        long queued = queuedChars.addAndGet(text.length());
        if (queued > maxBytes && queued > text.length()) {
            closed = true;
            queue.clear();
            closer.accept(overflow);
            return;
        }
        queue.add(entry);
        drain();
    }

    /** @return whether every frame handed to the outbox has been written */
    boolean isIdle() {
        return closed || queuedChars.get() == 0;
    }

    void close() {
        closed = true;
        queue.clear();
    }

    private void drain() {
        while (!closed && sending.compareAndSet(false, true)) {
            Object entry = queue.poll();
            if (entry == null) {
                sending.set(false);
                if (queue.isEmpty()) {
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
                sending.set(false);
                closer.accept(SEND_FAILED);
                return;
            } finally {
                thread.setContextClassLoader(application);
            }
            if (sent.state.getAndSet(Sent.RETURNED) != Sent.COMPLETED) {
                return;
            }
            sending.set(false);
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
            if (queuedChars.addAndGet(-chars) == 0) {
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
                sending.set(false);
                drain();
            }
        }
    }
}
