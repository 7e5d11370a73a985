package org.multiwebsocket.dispatch;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.dispatch.DispatchHarness.TestChannel;
import org.multiwebsocket.protocol.Request;
import org.multiwebsocket.spi.GatewayEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlinesTest {

    private final Admission admission = new Admission(GatewayConfig.of(Map.of()));
    private final TestChannel channel = new TestChannel(10_000, admission.newLane());
    private final List<Call> expired = new CopyOnWriteArrayList<>();
    private final Deadlines deadlines = new Deadlines(expired::add);

    @Test
    void answeredCallsLeaveTheWheelAtTheirFirstLookNotAtTheirDeadline() {
        for (int i = 0; i < 1_000; i++) {
            deadlines.add(call(i, 30_000)).clear();
        }
        assertEquals(1_000, deadlines.held());
        await().atMost(2, TimeUnit.SECONDS).pollInterval(1, TimeUnit.MILLISECONDS).until(() -> {
            deadlines.advance();
            return deadlines.held() == 0;
        });
        assertTrue(expired.isEmpty());
    }

    @Test
    void aCallStillRunningAtItsFirstLookWaitsForItsDeadline() {
        long start = System.nanoTime();
        Call slow = call(1, 300);
        deadlines.add(slow);
        long firstLook = start + TimeUnit.MILLISECONDS.toNanos(Deadlines.FIRST_LOOK_MS + 2 * Deadlines.TICK_MS);
        await().atMost(2, TimeUnit.SECONDS).pollInterval(1, TimeUnit.MILLISECONDS).until(() -> {
            deadlines.advance();
            return System.nanoTime() - firstLook > 0;
        });
        assertTrue(expired.isEmpty(), "expired at its first look");
        assertEquals(1, deadlines.held());
        await().atMost(2, TimeUnit.SECONDS).pollInterval(1, TimeUnit.MILLISECONDS).until(() -> {
            deadlines.advance();
            return !expired.isEmpty();
        });
        assertEquals(List.of(slow), new ArrayList<>(expired));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "expired before its deadline");
    }

    @Test
    void aDeadlineSoonerThanTheFirstLookFiresAtTheDeadline() {
        long start = System.nanoTime();
        Call quick = call(1, 5);
        deadlines.add(quick);
        await().atMost(2, TimeUnit.SECONDS).pollInterval(1, TimeUnit.MILLISECONDS).until(() -> {
            deadlines.advance();
            return !expired.isEmpty();
        });
        assertEquals(List.of(quick), new ArrayList<>(expired));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(5), "expired before its deadline");
    }

    private Call call(int id, long timeoutMs) {
        return new Call(channel, new Request(Json.createValue(id), "/x/", null, null), null, timeoutMs,
                answer -> { }, new Telemetry(GatewayEvents.NONE), admission);
    }
}
