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
    /** Counts the reader's restarts: reads of an earlier one are dropped. */
    private volatile long generation;
    /** When the waiting read was sent (0: none waits), and the sequence it waits for. */
    private long waitingSince;
    private long waitingFor;

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
        grid.followed(this);
        read(generation, next);
        return next;
    }

    @Override
    public Replay since(String sinceEpoch, long offset, long upTo) {
        if (sinceEpoch == null) {
            return new Replay(List.of(), true);
        }
        try {
            String reading = epoch();
            if (!grid.epoch(ringName).equals(reading)) {
                // history was lost and this node's reader has not met the new ringbuffer yet: nothing of
                // what it holds can be vouched for; the reader delivers the new epoch from its start
                return new Replay(List.of(), false);
            }
            ReplayPlan plan = ReplayPlan.of(reading.equals(sinceEpoch), offset, upTo, history,
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

    /**
     * Reads from {@code next} on; a read of an earlier generation (before history was found lost) is
     * dropped when it completes.
     */
    private synchronized void read(long gen, long next) {
        if (grid.closed() || gen != generation) {
            return;
        }
        waitingSince = System.nanoTime();
        waitingFor = next;
        try {
            ring.readManyAsync(next, 1, BATCH, null).whenCompleteAsync((result, failure) -> {
                if (failure == null) {
                    received(gen, next, result);
                } else {
                    failed(gen, next, failure);
                }
            }, grid.executor());
        } catch (RuntimeException e) {
            failed(gen, next, e);
        }
    }

    private synchronized void received(long gen, long next, ReadResultSet<String> result) {
        if (gen != generation) {
            return;
        }
        waitingSince = 0;
        try {
            boolean wentBack = result.size() > 0 && result.getSequence(0) < next;
            Set<Member> members = grid.members();
            if ((wentBack || !members.equals(membersSeen)) && lost(members)) {
                return;
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
            read(gen, Math.max(next, result.getNextSequenceToReadFrom()));
        } catch (RuntimeException e) {
            failed(gen, next, e);
        }
    }

    /**
     * Looks, without waiting, whether the ringbuffer holds what a read has waited for since over
     * {@code afterNanos}, and delivers it if so. A read waiting in the grid can be passed over: the
     * grid wakes the reads waiting on a ringbuffer in turn and stops at the first that must wait on,
     * and a read left from before history was lost waits for a sequence the new ringbuffer reaches
     * only later; every read behind it waits too. So the readers look now and then.
     */
    void probe(long afterNanos) {
        long gen;
        long next;
        synchronized (this) {
            if (waitingSince == 0 || System.nanoTime() - waitingSince < afterNanos || grid.closed()) {
                return;
            }
            gen = generation;
            next = waitingFor;
        }
        try {
            ring.readManyAsync(next, 0, BATCH, null).whenCompleteAsync((result, failure) -> {
                if (failure == null) {
                    overtaken(gen, next, result);
                }
            }, grid.executor());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, ringName + ": a look at the ringbuffer failed", e);
        }
    }

    /** What a look found while the read still waits: the waiting read is dropped, reading goes on from here. */
    private synchronized void overtaken(long gen, long next, ReadResultSet<String> result) {
        if (gen != generation || waitingSince == 0 || waitingFor != next || result.size() == 0) {
            return;
        }
        LOG.fine(ringName + ": the waiting read was passed over; reading on from offset " + (next + 1));
        received(++generation, next, result);
    }

    /**
     * Members left: checks the epoch at once, before a read waiting on the new ringbuffer (which skips
     * to the new ringbuffer's end) could deliver anything of it under the old epoch.
     */
    synchronized void membersLeft() {
        try {
            lost(grid.members());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, ringName + ": the epoch could not be checked after members left", e);
        }
    }

    /** @return whether the history was lost; if so the reader starts over on the new ringbuffer */
    private boolean lost(Set<Member> members) {
        membersSeen = members;
        String current = grid.epoch(ringName);
        if (current.equals(epoch)) {
            return false;
        }
        LOG.warning(ringName + ": the history was lost with the members that held it; epoch " + epoch + " is now "
                + current + ", offsets start again");
        epoch = current;
        long gen = ++generation;
        readFromHead(gen);
        return true;
    }

    private void deliver(String current, Entry entry) {
        try {
            feed.arrived(current, entry);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, ringName + ": offset " + entry.offset() + " could not be delivered on this node", e);
        }
    }

    private void readFromHead(long gen) {
        long head;
        try {
            head = ring.headSequence();
        } catch (RuntimeException e) {
            if (!grid.closed()) {
                retry(() -> readFromHead(gen), RETRY_MS);
            }
            return;
        }
        read(gen, head);
    }

    private void failed(long gen, long next, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (grid.closed() || gen != generation || cause instanceof HazelcastInstanceNotActiveException) {
            return;
        }
        if (cause instanceof StaleSequenceException) {
            LOG.warning(ringName + ": this node fell behind by more than the grid holds; carrying on from the oldest"
                    + " message left");
            retry(() -> readFromHead(gen), 0);
            return;
        }
        LOG.log(Level.WARNING, ringName + ": reading the grid failed; trying again in " + RETRY_MS + " ms", cause);
        retry(() -> read(gen, next), RETRY_MS);
    }

    /** Runs a step of the reader later; each step catches its own failures. */
    private void retry(Runnable step, long delayMs) {
        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS, grid.executor()).execute(step);
    }
}
