package org.multiwebsocket.push;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryTopicLogTest {

    private static List<Long> offsets(TopicLog.Replay replay) {
        return replay.entries().stream().map(TopicLog.Entry::offset).toList();
    }

    @Test
    void offsetsStartAtOneAndGrowByOne() {
        MemoryTopicLog log = new MemoryTopicLog(3);
        assertEquals(0, log.newest());
        assertEquals(1, log.append("1").offset());
        assertEquals(2, log.append("2").offset());
        assertEquals(2, log.newest());
    }

    @Test
    void aSubscriberWithinHistoryRecoversEverythingAfterItsOffsetUpToTheLimit() {
        MemoryTopicLog log = new MemoryTopicLog(5);
        for (int i = 0; i < 4; i++) {
            log.append("{}");
        }
        TopicLog.Replay replay = log.since(log.epoch(), 1, 3);
        assertTrue(replay.recovered());
        assertEquals(List.of(2L, 3L), offsets(replay));
    }

    @Test
    void aSubscriberBehindTheHistoryGetsWhatIsKeptAndIsToldItLostSome() {
        MemoryTopicLog log = new MemoryTopicLog(2);
        for (int i = 0; i < 5; i++) {
            log.append("{}");
        }
        TopicLog.Replay replay = log.since(log.epoch(), 1, 5);
        assertFalse(replay.recovered());
        assertEquals(List.of(4L, 5L), offsets(replay));
        assertTrue(log.since(log.epoch(), 3, 5).recovered(), "offsets 4 and 5 are both kept");
    }

    @Test
    void anotherEpochIsNeverRecoveredAndGetsWhatIsKept() {
        MemoryTopicLog log = new MemoryTopicLog(2);
        log.append("{}");
        TopicLog.Replay replay = log.since("elsewhere", 1, 1);
        assertFalse(replay.recovered());
        assertEquals(List.of(1L), offsets(replay));
        assertNotEquals(log.epoch(), new MemoryTopicLog(2).epoch(), "a new log is a new epoch");
    }

    @Test
    void noHistoryKeepsNothingButStillKnowsWhetherNothingWasMissed() {
        MemoryTopicLog log = new MemoryTopicLog(0);
        log.append("{}");
        assertTrue(log.since(log.epoch(), 1, 1).recovered());
        TopicLog.Replay behind = log.since(log.epoch(), 0, 1);
        assertFalse(behind.recovered());
        assertTrue(behind.entries().isEmpty());
    }

    @Test
    void withoutSinceNothingIsReplayed() {
        MemoryTopicLog log = new MemoryTopicLog(5);
        log.append("{}");
        TopicLog.Replay replay = log.since(null, 0, 1);
        assertTrue(replay.recovered());
        assertTrue(replay.entries().isEmpty());
    }
}
