package org.multiwebsocket.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.StaleSequenceException;
import org.multiwebsocket.push.TopicLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One topic's log in the grid: a ringbuffer every node appends to, and, on each node that has
 * subscribers, one reader that tails it and hands each message to the node's subscribers in the
 * ringbuffer's order, the same on every node.
 *
 * <p>History is lost only with every member that held the ringbuffer's partition; its epoch, kept in
 * the same partition, goes with it. The reader checks the epoch whenever the members changed (and when
 * the ringbuffer's sequence went back), and carries on under the new epoch from the new ringbuffer's
 * start. A reader that fell further behind than the ringbuffer holds carries on from the oldest message
 * left, and says so in the log: its subscribers see the offsets jump (PROTOCOL.md section 12).
 */
final class GridTopicLog implements TopicLog {

    private static final Logger LOG = Logger.getLogger(GridTopicLog.class.getName());
    /** Messages read at once: Hazelcast's limit, and below the ringbuffers' capacity. */
    private static final int BATCH = 1000;
    private static final long RETRY_MS = 1000;
    private static final long TIMEOUT_SECONDS = 10;

    private final HazelcastGrid grid;
    private final Ringbuffer<String> ring;
    private final String ringName;
    private final int history;
    private volatile String epoch;
    private volatile Feed feed;
    private volatile Set<Member> membersSeen;

    GridTopicLog(HazelcastGrid grid, Ringbuffer<String> ring, int history) {
        this.grid = grid;
        this.ring = ring;
        this.ringName = ring.getName();
        this.history = history;
    }

    @Override
    public String epoch() {
        String known = epoch;
        if (known == null) {
            known = grid.epoch(ringName);
            epoch = known;
        }
        return known;
    }

    @Override
    public long newest() {
        return ring.tailSequence() + 1;
    }

    /** Waits for the grid to keep the message (on its partition's owner and backup). */
    @Override
    public Entry append(String data) {
        return new Entry(ring.add(data) + 1, data);
    }

    @Override
    public synchronized long follow(Feed follower) {
        feed = follower;
        membersSeen = grid.members();
        epoch = grid.epoch(ringName);
        long next = ring.tailSequence() + 1;
        read(next);
        return next;
    }

    @Override
    public Replay since(String sinceEpoch, long offset, long upTo) {
        if (sinceEpoch == null) {
            return new Replay(List.of(), true);
        }
        try {
            ReplayPlan plan = ReplayPlan.of(epoch().equals(sinceEpoch), offset, upTo, history,
                    ring.headSequence() + 1, ring.tailSequence() + 1);
            List<Entry> entries = new ArrayList<>();
            boolean complete = read(plan, entries);
            return new Replay(entries, plan.recovered() && complete);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Replay(List.of(), false);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.WARNING, ringName + ": the history could not be read from the grid; the subscriber is told"
                    + " it lost messages", e);
            return new Replay(List.of(), false);
        }
    }

    /** Reads the plan's messages; false when some were gone from the ringbuffer meanwhile. */
    private boolean read(ReplayPlan plan, List<Entry> into)
            throws InterruptedException, ExecutionException, TimeoutException {
        long next = plan.from() - 1;
        long last = plan.upTo() - 1;
        boolean complete = true;
        while (next <= last) {
            int count = (int) Math.min(BATCH, last - next + 1);
            ReadResultSet<String> result = ring.readManyAsync(next, 0, count, null).toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (result.size() == 0) {
                return false;
            }
            for (int i = 0; i < result.size(); i++) {
                long sequence = result.getSequence(i);
                if (sequence > last) {
                    return complete;
                }
                complete &= sequence == next;
                into.add(new Entry(sequence + 1, result.get(i)));
                next = sequence + 1;
            }
        }
        return complete;
    }

    private void read(long next) {
        if (grid.closed()) {
            return;
        }
        try {
            ring.readManyAsync(next, 1, BATCH, null).whenCompleteAsync((result, failure) -> {
                if (failure == null) {
                    received(next, result);
                } else {
                    failed(next, failure);
                }
            }, grid.executor());
        } catch (RuntimeException e) {
            failed(next, e);
        }
    }

    private void received(long next, ReadResultSet<String> result) {
        try {
            boolean wentBack = result.size() > 0 && result.getSequence(0) < next;
            Set<Member> members = grid.members();
            if (wentBack || !members.equals(membersSeen)) {
                membersSeen = members;
                String current = grid.epoch(ringName);
                if (!current.equals(epoch)) {
                    historyLost(current);
                    return;
                }
            }
            if (result.size() > 0 && result.getSequence(0) > next) {
                LOG.warning(ringName + ": this node fell behind by more than the grid holds; offsets " + (next + 1)
                        + " to " + result.getSequence(0) + " never reach its subscribers");
            }
            String current = epoch;
            for (int i = 0; i < result.size(); i++) {
                long sequence = result.getSequence(i);
                if (sequence >= next) {
                    deliver(current, new Entry(sequence + 1, result.get(i)));
                }
            }
            read(Math.max(next, result.getNextSequenceToReadFrom()));
        } catch (RuntimeException e) {
            failed(next, e);
        }
    }

    private void deliver(String current, Entry entry) {
        try {
            feed.arrived(current, entry);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, ringName + ": offset " + entry.offset() + " could not be delivered on this node", e);
        }
    }

    /** The ringbuffer is a new one (the members that held it left): read it from its start, under its epoch. */
    private void historyLost(String current) {
        LOG.warning(ringName + ": the history was lost with the members that held it; epoch " + epoch + " is now "
                + current + ", offsets start again");
        epoch = current;
        readFromHead();
    }

    private void readFromHead() {
        long head;
        try {
            head = ring.headSequence();
        } catch (RuntimeException e) {
            if (!grid.closed()) {
                retry(this::readFromHead, RETRY_MS);
            }
            return;
        }
        read(head);
    }

    private void failed(long next, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (grid.closed() || cause instanceof HazelcastInstanceNotActiveException) {
            return;
        }
        if (cause instanceof StaleSequenceException) {
            LOG.warning(ringName + ": this node fell behind by more than the grid holds; carrying on from the oldest"
                    + " message left");
            retry(this::readFromHead, 0);
            return;
        }
        LOG.log(Level.WARNING, ringName + ": reading the grid failed; trying again in " + RETRY_MS + " ms", cause);
        retry(() -> read(next), RETRY_MS);
    }

    /** Runs a step of the reader later; each step catches its own failures. */
    private void retry(Runnable step, long delayMs) {
        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS, grid.executor()).execute(step);
    }
}
