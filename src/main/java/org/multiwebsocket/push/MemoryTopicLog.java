package org.multiwebsocket.push;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A topic's log in this JVM: a ring of the newest messages; a new epoch every time it is created. */
final class MemoryTopicLog implements TopicLog {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String epoch;
    private final Entry[] ring;
    private long newest;
    private Feed feed;

    MemoryTopicLog(int history) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        this.epoch = HexFormat.of().formatHex(bytes);
        this.ring = new Entry[history];
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public synchronized long newest() {
        return newest;
    }

    @Override
    public synchronized Entry append(String data) {
        Entry entry = new Entry(++newest, data);
        if (ring.length > 0) {
            ring[(int) (entry.offset() % ring.length)] = entry;
        }
        if (feed != null) {
            feed.arrived(epoch, entry);
        }
        return entry;
    }

    @Override
    public synchronized long follow(Feed follower) {
        this.feed = follower;
        return newest;
    }

    @Override
    public synchronized Replay since(String sinceEpoch, long offset, long upTo) {
        if (sinceEpoch == null) {
            return new Replay(List.of(), true);
        }
        if (!sinceEpoch.equals(epoch)) {
            return new Replay(kept(0, upTo), false);
        }
        long oldestKept = Math.max(1, newest - ring.length + 1);
        boolean recovered = offset >= oldestKept - 1 && offset <= newest;
        return new Replay(kept(Math.max(offset, 0), upTo), recovered);
    }

    /** The kept entries with offsets in (after, upTo]. */
    private List<Entry> kept(long after, long upTo) {
        List<Entry> entries = new ArrayList<>();
        long from = Math.max(after + 1, Math.max(1, newest - ring.length + 1));
        for (long offset = from; offset <= Math.min(upTo, newest) && ring.length > 0; offset++) {
            entries.add(ring[(int) (offset % ring.length)]);
        }
        return entries;
    }
}
