package org.multiwebsocket.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayPlanTest {

    @Test
    void aSubscriberWithinHistoryGetsEverythingAfterItsOffsetUpToThisNodesPosition() {
        ReplayPlan plan = ReplayPlan.of(true, 7, 10, 5, 1, 12);
        assertTrue(plan.recovered());
        assertEquals(8, plan.from());
        assertEquals(10, plan.upTo());
        assertEquals(3, plan.count());
    }

    @Test
    void onlyTheNewestHistoryCountsAsHistoryThoughTheGridHoldsMore() {
        ReplayPlan plan = ReplayPlan.of(true, 2, 10, 5, 1, 10);
        assertFalse(plan.recovered(), "offsets 3 to 5 are older than the five kept");
        assertEquals(6, plan.from());
        assertTrue(ReplayPlan.of(true, 5, 10, 5, 1, 10).recovered(), "6 to 10 are exactly the five kept");
    }

    @Test
    void whatTheGridNoLongerHoldsIsNotRecovered() {
        ReplayPlan plan = ReplayPlan.of(true, 5, 10, 50, 8, 10);
        assertFalse(plan.recovered());
        assertEquals(8, plan.from());
        assertTrue(ReplayPlan.of(true, 7, 10, 50, 8, 10).recovered());
    }

    @Test
    void anotherEpochGetsTheHistoryAndIsNeverRecovered() {
        ReplayPlan plan = ReplayPlan.of(false, 3, 10, 4, 1, 10);
        assertFalse(plan.recovered());
        assertEquals(7, plan.from());
        assertEquals(4, plan.count());
    }

    @Test
    void anOffsetSeenOnAFasterNodeReplaysNothingAndIsRecoveredIfTheGridHasIt() {
        ReplayPlan ahead = ReplayPlan.of(true, 12, 10, 5, 1, 12);
        assertTrue(ahead.recovered());
        assertEquals(0, ahead.count());
        assertFalse(ReplayPlan.of(true, 13, 10, 5, 1, 12).recovered(), "an offset nobody published");
    }

    @Test
    void noHistoryReplaysNothingButKnowsWhetherNothingWasMissed() {
        assertTrue(ReplayPlan.of(true, 10, 10, 0, 1, 10).recovered());
        ReplayPlan behind = ReplayPlan.of(true, 9, 10, 0, 1, 10);
        assertFalse(behind.recovered());
        assertEquals(0, behind.count());
    }

    @Test
    void anEmptyTopicRecoversOffsetZero() {
        ReplayPlan plan = ReplayPlan.of(true, 0, 0, 5, 1, 0);
        assertTrue(plan.recovered());
        assertEquals(0, plan.count());
    }
}
