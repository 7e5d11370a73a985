package org.multiwebsocket.cluster;

/**
 * Which messages a resuming subscriber gets from a shared log, worked out from offsets alone: the
 * history is the newest {@code history} messages up to {@code upTo} (this node's position), and no
 * older than what the grid still holds.
 *
 * @param from      the first offset to replay (nothing when {@code from > upTo})
 * @param upTo      the last offset to replay
 * @param recovered whether the replay holds everything the subscriber missed
 */
record ReplayPlan(long from, long upTo, boolean recovered) {

    /**
     * @param sameEpoch       whether the subscriber's epoch is the log's
     * @param offset          the offset of the last message it saw
     * @param upTo            the newest offset this node has delivered (live messages come after it)
     * @param history         how many of the newest messages the topic keeps
     * @param oldestAvailable the oldest offset the grid still holds (newest + 1 when it holds none)
     * @param newest          the newest offset in the grid, which may be past {@code upTo}
     * @return the plan
     */
    static ReplayPlan of(boolean sameEpoch, long offset, long upTo, int history, long oldestAvailable, long newest) {
        long oldestKept = Math.max(Math.max(1, upTo - history + 1), oldestAvailable);
        if (!sameEpoch) {
            return new ReplayPlan(oldestKept, upTo, false);
        }
        if (offset > upTo) {
            // it saw, on another node, messages this node has not read yet: they come live
            return new ReplayPlan(upTo + 1, upTo, offset <= newest);
        }
        if (offset >= oldestKept - 1) {
            return new ReplayPlan(offset + 1, upTo, true);
        }
        return new ReplayPlan(oldestKept, upTo, false);
    }

    /** @return how many messages to replay */
    long count() {
        return Math.max(0, upTo - from + 1);
    }
}
