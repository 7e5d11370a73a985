package org.multiwebsocket.push;

import java.util.List;

/**
 * One topic's offsets and history. Each message gets the next offset (1, 2, 3, ...); the newest
 * {@code history} messages are kept for subscribers that resume with {@code since}. The epoch names
 * this history: when history is lost (a restart here; members leaving the cluster there) the epoch
 * changes, and a subscriber resuming from another epoch is told that messages were lost. This is the
 * seam where a cluster-wide log ({@link TopicStore}) replaces the in-memory one.
 */
public interface TopicLog {

    /**
     * A message as kept.
     *
     * @param offset its offset
     * @param data   its JSON
     */
    record Entry(long offset, String data) {
    }

    /**
     * What a resuming subscriber gets.
     *
     * @param entries   the kept messages after its offset, oldest first
     * @param recovered whether those are all it missed
     */
    record Replay(List<Entry> entries, boolean recovered) {
    }

    /** Receives a log's messages in log order. */
    @FunctionalInterface
    interface Feed {

        /**
         * @param epoch the epoch the message belongs to
         * @param entry the message
         */
        void arrived(String epoch, Entry entry);
    }

    /** @return the history's name; it changes when history is lost */
    String epoch();

    /** @return the offset of the newest message, 0 before the first */
    long newest();

    /**
     * Appends a message. It reaches the feed (if one follows the log) in log order: at once in memory;
     * in a cluster when this node reads it back from the grid, in the order every node reads it.
     *
     * @param data the message's JSON
     * @return the entry with its offset
     */
    Entry append(String data);

    /**
     * Starts handing every message appended from now on, on this node or any other, to the feed.
     * Called once per log.
     *
     * @param feed receives the messages in log order
     * @return the offset of the newest message before those the feed will receive
     */
    long follow(Feed feed);

    /**
     * @param epoch  the epoch the subscriber last saw, or null for a subscriber that resumes nothing
     * @param offset the offset of the last message it saw
     * @param upTo   the newest offset to include (messages after it reach the subscriber live)
     * @return the kept messages after {@code offset} up to {@code upTo}, and whether none was lost
     */
    Replay since(String epoch, long offset, long upTo);
}
