package org.multiwebsocket.client;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private static final long SECOND = 1_000_000_000L;

    private static void assertBetween(long low, long high, long actual) {
        assertTrue(actual >= low && actual <= high, actual + " is not within [" + low + ", " + high + "]");
    }

    @RepeatedTest(20)
    void delaysDoubleWithJitterUpToTheMaximum() {
        Backoff backoff = new Backoff(100, 1_000, 5_000);
        assertBetween(50, 100, backoff.nextDelayMs(0));
        assertBetween(100, 200, backoff.nextDelayMs(0));
        assertBetween(200, 400, backoff.nextDelayMs(0));
        assertBetween(400, 800, backoff.nextDelayMs(0));
        assertBetween(500, 1_000, backoff.nextDelayMs(0));
        assertBetween(500, 1_000, backoff.nextDelayMs(0));
    }

    @RepeatedTest(20)
    void aSocketClosedSoonAfterItOpenedDoesNotResetTheDelay() {
        Backoff backoff = new Backoff(100, 10_000, 5_000);
        backoff.nextDelayMs(0);
        for (int round = 1; round <= 4; round++) {
            backoff.up(round * SECOND);
            backoff.down(round * SECOND + SECOND / 10);
            long expected = 100L << round;
            assertBetween(expected / 2, expected, backoff.nextDelayMs(0));
        }
    }

    @RepeatedTest(20)
    void aSocketThatStayedUpLongEnoughStartsTheDelayOver() {
        Backoff backoff = new Backoff(100, 10_000, 5_000);
        for (int i = 0; i < 5; i++) {
            backoff.nextDelayMs(0);
        }
        backoff.up(SECOND);
        backoff.down(6 * SECOND);
        assertBetween(50, 100, backoff.nextDelayMs(0));
    }

    @Test
    void aRetryAfterLongerThanTheBackoffIsWaitedOut() {
        Backoff backoff = new Backoff(100, 10_000, 5_000);
        assertEquals(3_000, backoff.nextDelayMs(3_000));
        assertBetween(100, 200, backoff.nextDelayMs(50));
    }

    @Test
    void aHugeInitialDelayDoesNotOverflow() {
        Backoff backoff = new Backoff(Long.MAX_VALUE / 4, Long.MAX_VALUE / 2, 0);
        for (int i = 0; i < 70; i++) {
            assertTrue(backoff.nextDelayMs(0) > 0);
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertEquals(5_000, RetryLater.millis("5"));
        assertEquals(0, RetryLater.millis(null));
        assertEquals(0, RetryLater.millis("soon"));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertBetween(8_000, 10_000, RetryLater.millis(inTenSeconds));
    }
}
