package org.multiwebsocket.session;

import org.multiwebsocket.dispatch.Channel;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** A session's log in this node's memory: the session can be resumed on this node only. */
final class MemorySessionLog implements SessionLog {

    /** A message as sent, until the client acknowledges it. */
    private record Kept(long last, String frame, Runnable written) {
    }

    private final long bufferChars;
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    /** Ids (as JSON) of calls received and still running. */
    private final Set<String> running = new HashSet<>();
    /** Ids (as JSON) of answers not yet acknowledged, with the seq of the answer. */
    private final Map<String, Long> answered = new HashMap<>();
    private long seq;
    /** The highest seq the client acknowledged: what it may no longer ask for again. */
    private long acked;
    private long keptChars;
    private boolean overflowed;
    private Channel socket;

    MemorySessionLog(long bufferChars) {
        this.bufferChars = bufferChars;
    }

    @Override
    public synchronized void append(String frame, Runnable written) {
        long first = seq + 1;
        seq += SeqFrames.count(frame);
        long last = seq;
        String stamped = SeqFrames.stamp(frame, first, id -> {
            if (!overflowed && !"null".equals(id)) {
                answered.put(id, last);
            }
        });
        Runnable once = written == null ? null : once(written);
        if (!overflowed) {
            kept.addLast(new Kept(last, stamped, once));
            keptChars += stamped.length();
            if (keptChars > bufferChars) {
                overflowed = true;
                kept.clear();
                answered.clear();
                keptChars = 0;
            }
        }
        if (socket != null) {
            socket.write(stamped, once);
        }
    }

    /** A stream asks for its next item once one is written: on the socket it reached, or after a resume. */
    private static Runnable once(Runnable task) {
        AtomicBoolean ran = new AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                task.run();
            }
        };
    }

    @Override
    public void received(String id, Runnable start) {
        synchronized (this) {
            running.add(id);
        }
        start.run();
    }

    @Override
    public synchronized void completed(String id) {
        running.remove(id);
    }

    @Override
    public synchronized void acknowledge(long ack) {
        acked = Math.max(acked, Math.min(ack, seq));
        while (!kept.isEmpty() && kept.peekFirst().last() <= ack) {
            keptChars -= kept.pollFirst().frame().length();
        }
        answered.values().removeIf(seqOfAnswer -> seqOfAnswer <= ack);
    }

    @Override
    public synchronized String attach(Channel channel, long ack, Consumer<String> answer) {
        if (overflowed) {
            return "the session's kept messages exceeded sessionBufferBytes";
        }
        if (ack > seq) {
            return "ack " + ack + " is past the session's last message (" + seq + ")";
        }
        if (ack < acked) {
            return "ack " + ack + " is before the " + acked + " acknowledged already";
        }
        acknowledge(ack);
        Set<String> known = new LinkedHashSet<>(running);
        known.addAll(answered.keySet());
        StringJoiner ids = new StringJoiner(",", "[", "]");
        known.forEach(ids::add);
        answer.accept(ids.toString());
        socket = channel;
        for (Kept message : kept) {
            channel.write(message.frame(), message.written());
        }
        return null;
    }

    @Override
    public synchronized boolean detach(Channel channel) {
        if (socket != channel) {
            return false;
        }
        socket = null;
        return true;
    }

    @Override
    public synchronized Channel socket() {
        return socket;
    }

    @Override
    public synchronized boolean overflowed() {
        return overflowed;
    }

    @Override
    public synchronized void end() {
        kept.clear();
        answered.clear();
        running.clear();
        socket = null;
    }
}
