package org.multiwebsocket.cluster;

import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import org.multiwebsocket.dispatch.Channel;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.session.SeqFrames;
import org.multiwebsocket.session.SessionLog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A session's log in the grid ({@link GridSessions}). Every message goes into the session's ringbuffer
 * (a batch answer as consecutive items, the first marked with the batch's size); the node holding the
 * socket reads the ringbuffer and writes each message with its seq, so messages added on any node reach
 * the socket in one order. Calls received are recorded with the member running them, for {@code known}
 * and for answering -32006 when that member leaves.
 */
final class GridSessionLog implements SessionLog {

    private static final Logger LOG = Logger.getLogger(GridSessionLog.class.getName());
    private static final int BATCH = 256;
    private static final long TIMEOUT_SECONDS = 10;

    private final GridSessions grid;
    private final String sessionId;
    private final Ringbuffer<String> ring;
    private final long bufferChars;
    /** The last message appended from this node, which a hand-over of subscriptions waits for. */
    private volatile CompletableFuture<Long> lastAppend = CompletableFuture.completedFuture(0L);
    /** Calls answered here whose answer is on its way into the grid: recorded as running until it is kept. */
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    /** Subscriptions of members that left, each taken over once here however many times it is looked for. */
    private final Set<String> adopted = ConcurrentHashMap.newKeySet();
    /** Calls whose record is on its way into the grid. */
    private final Map<String, CompletableFuture<Void>> recording = new ConcurrentHashMap<>();
    /** Another node took the session's socket. */
    private volatile boolean moved;
    private Channel socket;
    private volatile Subscriber owner;
    /** Changes whenever the socket does, so that a reader of an earlier socket stops. */
    private long generation;
    /** The first item of a batch not yet written whole, and the items read of it so far. */
    private final List<String> pendingBatch = new ArrayList<>();
    private long pendingBatchFirst;
    private int pendingBatchSize;

    GridSessionLog(GridSessions grid, String sessionId, Ringbuffer<String> ring, long bufferChars) {
        this.grid = grid;
        this.sessionId = sessionId;
        this.ring = ring;
        this.bufferChars = bufferChars;
    }

    String sessionId() {
        return sessionId;
    }

    synchronized boolean attached() {
        return socket != null;
    }

    @Override
    public void append(String frame, Runnable written) {
        List<String> messages = SeqFrames.messages(frame);
        List<String> items = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            items.add((i == 0 ? messages.size() : 0) + "|" + messages.get(i));
        }
        grid.writing();
        lastAppend = ring.addAllAsync(items, OverflowPolicy.OVERWRITE).toCompletableFuture();
        lastAppend.whenCompleteAsync((last, failure) -> {
            grid.written();
            if (failure != null) {
                LOG.log(Level.WARNING, "session " + sessionId + ": a message could not be kept in the grid", failure);
                return;
            }
            for (String message : messages) {
                String id = SeqFrames.id(message);
                if (id != null && answered.remove(id)) {
                    forget(id);
                }
            }
            if (written != null) {
                written.run();
            }
        }, grid.executor());
    }

    @Override
    public void received(String id, Runnable start) {
        // the handler starts once the call is recorded, never before: a node that takes the session in between
        // must see the call as known, or the client would send it again and it would run twice
        grid.writing();
        CompletableFuture<Void> recorded = grid.calls().setAsync(grid.callKey(sessionId, grid.localUuid(), id), "")
                .toCompletableFuture();
        recording.put(id, recorded);
        recorded.whenCompleteAsync((none, failure) -> {
            grid.written();
            recording.remove(id, recorded);
            if (failure != null) {
                LOG.log(Level.WARNING, "session " + sessionId + ": a call could not be recorded in the grid", failure);
            }
            start.run();
        }, grid.executor());
    }

    /** Forgets a call once its answer is kept, after its record if that is still on its way. */
    private void forget(String id) {
        String key = grid.callKey(sessionId, grid.localUuid(), id);
        recording.getOrDefault(id, CompletableFuture.completedFuture(null))
                .whenComplete((none, failure) -> grid.calls().removeAsync(key));
    }

    @Override
    public void completed(String id) {
        answered.add(id);
    }

    @Override
    public void acknowledge(long ack) {
        // the ringbuffer forgets by its capacity; a resume replays only what follows the client's ack
    }

    @Override
    public String attach(Channel channel, long ack, Consumer<String> answer) {
        try {
            Set<String> known = new LinkedHashSet<>();
            Set<String> members = grid.memberUuids();
            List<String[]> lostCalls = new ArrayList<>();
            for (String[] call : grid.callsOf(sessionId)) {
                known.add(call[1]);
                if (!members.contains(call[0])) {
                    lostCalls.add(call);
                }
            }
            long tail = ring.tailSequence();
            if (ack > tail + 1) {
                return "ack " + ack + " is past the session's last message (" + (tail + 1) + ")";
            }
            if (ack < ring.headSequence()) {
                return "the session's kept messages exceeded what the grid keeps of one session";
            }
            List<String> replay = readRange(ack, tail);
            long chars = replay.stream().mapToLong(String::length).sum();
            if (chars > bufferChars) {
                return "the session's kept messages exceeded sessionBufferBytes";
            }
            replay.forEach(item -> {
                String id = SeqFrames.id(item.substring(item.indexOf('|') + 1));
                if (id != null) {
                    known.add(id);
                }
            });
            long start;
            synchronized (this) {
                generation++;
                socket = null;
                pendingBatch.clear();
                StringJoiner ids = new StringJoiner(",", "[", "]");
                known.forEach(ids::add);
                answer.accept(ids.toString());
                moved = false;
                socket = channel;
                start = ack;
                for (String item : replay) {
                    write(channel, start++, item);
                }
            }
            grid.took(sessionId);
            grid.renew(sessionId);
            read(start, generation());
            lostCalls.forEach(this::answerLost);
            // a member that left while this attach ran was not yet seen by it, nor by the membership
            // listener (no socket was attached then): look again, at the members of now, that one is
            grid.executor().execute(() -> {
                answerCallsOfGoneMembers();
                adoptOrphans(grid.memberUuids());
            });
            return null;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "session " + sessionId + " could not be resumed from the grid", e);
            return "the session could not be read from the cluster";
        }
    }

    private synchronized long generation() {
        return generation;
    }

    /** The items from sequence {@code from} to {@code to}, in order. */
    private List<String> readRange(long from, long to) throws Exception {
        List<String> items = new ArrayList<>();
        long next = from;
        while (next <= to) {
            ReadResultSet<String> result = ring.readManyAsync(next, 0, (int) Math.min(BATCH, to - next + 1), null)
                    .toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (result.size() == 0 || result.getSequence(0) != next) {
                throw new IllegalStateException("the session's messages from " + (next + 1) + " are gone");
            }
            for (int i = 0; i < result.size(); i++) {
                items.add(result.get(i));
            }
            next = result.getNextSequenceToReadFrom();
        }
        return items;
    }

    /** Reads on from {@code next} while the socket of that generation stays attached. */
    private void read(long next, long readerGeneration) {
        ring.readManyAsync(next, 1, BATCH, null).whenCompleteAsync((result, failure) -> {
            synchronized (this) {
                if (generation != readerGeneration || socket == null) {
                    return;
                }
                if (failure != null || result.getSequence(0) != next) {
                    LOG.log(Level.INFO, "session " + sessionId + ": its socket fell behind what the grid keeps", failure);
                    Channel lost = socket;
                    grid.executor().execute(() -> lost.close(1011, "the session's messages could not be read"));
                    return;
                }
                for (int i = 0; i < result.size(); i++) {
                    write(socket, result.getSequence(i), result.get(i));
                }
            }
            read(result.getNextSequenceToReadFrom(), readerGeneration);
        }, grid.executor());
    }

    /** Writes one item read at {@code sequence}: a message, or part of a batch written once whole. */
    private void write(Channel to, long sequence, String item) {
        int bar = item.indexOf('|');
        int size = Integer.parseInt(item.substring(0, bar));
        String message = SeqFrames.stamp(item.substring(bar + 1), sequence + 1);
        if (size == 1) {
            to.write(message, null);
            return;
        }
        if (size > 1) {
            pendingBatch.clear();
            pendingBatchFirst = sequence;
            pendingBatchSize = size;
        }
        if (pendingBatchSize == 0 || sequence - pendingBatchFirst != pendingBatch.size()) {
            return;
        }
        pendingBatch.add(message);
        if (pendingBatch.size() == pendingBatchSize) {
            to.write(JsonRpc.batch(pendingBatch), null);
            pendingBatch.clear();
            pendingBatchSize = 0;
        }
    }

    /** Calls that were running on members no longer in the cluster are answered -32006. */
    void answerCallsOfGoneMembers() {
        try {
            Set<String> members = grid.memberUuids();
            answerCallsOf(member -> !members.contains(member));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "session " + sessionId + ": the calls of members that left were not looked at", e);
        }
    }

    /** Calls that were running on a member that left the cluster are answered -32006. */
    void answerCallsOf(Predicate<String> gone) {
        for (String[] call : grid.callsOf(sessionId)) {
            if (gone.test(call[0])) {
                answerLost(call);
            }
        }
    }

    /** @param call the member that ran it and its id, as {@link GridSessions#callsOf} gives them */
    private void answerLost(String[] call) {
        if (grid.calls().remove(grid.callKey(sessionId, call[0], call[1])) != null) {
            append(JsonRpc.error(JsonRpc.read(call[1]), RpcError.UNAVAILABLE, "Unavailable",
                    "{\"reason\":\"the node running the call left the cluster\"}"), null);
        }
    }

    @Override
    public void owner(Subscriber subscriber) {
        this.owner = subscriber;
    }

    @Override
    public void subscribed(String topic, String epoch, long offset) {
        grid.subscriptions().setAsync(grid.subscriptionKey(sessionId, topic), grid.localUuid() + "\t" + epoch + "\t" + offset);
    }

    @Override
    public void unsubscribed(String topic) {
        grid.subscriptions().removeAsync(grid.subscriptionKey(sessionId, topic));
    }

    /**
     * The session's subscriptions held by members no longer in the cluster move to this node, from the
     * last message of theirs the session kept (or, when none is kept, from where they started).
     */
    void adoptOrphans(Set<String> members) {
        Subscriber subscriber = owner;
        if (subscriber == null) {
            return;
        }
        try {
            List<String[]> orphans = new ArrayList<>();
            grid.subscriptionsOf(sessionId).forEach((topic, value) -> {
                String[] held = value.split("\t", 3);
                if (!members.contains(held[0]) && adopted.add(topic + "\t" + value)) {
                    orphans.add(new String[] {topic, held[1], held[2]});
                }
            });
            if (orphans.isEmpty()) {
                return;
            }
            List<String> kept = readRange(ring.headSequence(), ring.tailSequence());
            for (String[] orphan : orphans) {
                String[] last = LastMessage.of(kept, orphan[0], orphan[1], Long.parseLong(orphan[2]));
                subscriber.subscribe(orphan[0], last[0], Long.parseLong(last[1]));
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "session " + sessionId + ": the subscriptions of a member that left were not taken over", e);
        }
    }

    @Override
    public synchronized boolean detach(Channel channel) {
        if (socket != channel) {
            return false;
        }
        socket = null;
        generation++;
        grid.renew(sessionId);
        return true;
    }

    /** Another node took the session's socket: this node's socket, if any, is closed. */
    void movedAway() {
        moved = true;
        Channel previous = socket();
        if (previous != null) {
            previous.close(1008, "session resumed on another connection");
        }
        Subscriber subscriber = owner;
        List<String> topics = subscriber == null ? List.of() : subscriber.release();
        if (topics.isEmpty()) {
            return;
        }
        for (String topic : topics) {
            String key = grid.subscriptionKey(sessionId, topic);
            String held = grid.subscriptions().get(key);
            if (held != null) {
                grid.subscriptions().set(key, GridSessions.RELEASED + held.substring(held.indexOf('\t')));
            }
        }
        try {
            lastAppend.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.FINE, "session " + sessionId + ": its last message here was not confirmed", e);
        }
        grid.released(sessionId);
    }

    @Override
    public boolean livesElsewhere() {
        return moved;
    }

    @Override
    public synchronized Channel socket() {
        return socket;
    }

    @Override
    public void end() {
        synchronized (this) {
            socket = null;
            generation++;
        }
        grid.release(this);
    }
}
