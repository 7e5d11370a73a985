package org.multiwebsocket.client;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingCallsTest {

    /** Stands for whichever transport carries a call; the table only remembers which. */
    private static final class Carrier implements Transport {
        @Override
        public String name() {
            return "carrier";
        }

        @Override
        public void send(PendingCall<?> call) {
        }

        @Override
        public void cancel(PendingCall<?> call) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private final PendingCalls calls = new PendingCalls();
    private final Transport socket = new Carrier();
    private final AtomicReference<PendingCall<?>> abandoned = new AtomicReference<>();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private long ids;

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private PendingCall<JsonValue> call() {
        return new PendingCall<>(++ids, "helloworld", null, JsonValue.class, 0, abandoned::set);
    }

    @Test
    void callsWaitInOrderUpToTheBound() {
        PendingCall<JsonValue> first = call();
        PendingCall<JsonValue> second = call();
        assertTrue(calls.register(first, 2));
        assertTrue(calls.register(second, 2));
        assertFalse(calls.register(call(), 2), "a third call past a bound of two");
        assertEquals(List.of(first, second), calls.waiting());
    }

    @Test
    void callsGoInFlightOnlyWhileTheTransportHasRoom() {
        PendingCall<JsonValue> first = call();
        PendingCall<JsonValue> second = call();
        calls.register(first, 10);
        calls.register(second, 10);
        assertSame(first, calls.next(socket, 1));
        assertSame(socket, first.via);
        assertNull(calls.next(socket, 1), "one in flight already");
        assertSame(first, calls.answered(first.key));
        assertSame(second, calls.next(socket, 1));
        assertEquals(1, calls.inFlight());
    }

    @Test
    void aCallSettledWhileWaitingIsNeverSent() {
        PendingCall<JsonValue> cancelled = call();
        PendingCall<JsonValue> live = call();
        calls.register(cancelled, 10);
        calls.register(live, 10);
        cancelled.complete(JsonValue.NULL);
        assertSame(live, calls.next(socket, 10));
        assertNull(calls.next(socket, 10));
    }

    @Test
    void anAnswerTakesTheCallOutExactlyOnce() {
        PendingCall<JsonValue> call = call();
        calls.register(call, 10);
        calls.next(socket, 10);
        assertSame(call, calls.answered(call.key));
        assertNull(calls.answered(call.key), "a second answer under the same id finds nothing");
        assertNull(calls.remove(call), "nor does a late timeout");
        assertEquals(0, calls.inFlight());
    }

    @Test
    void removingACallSaysWhichTransportCarriedIt() {
        PendingCall<JsonValue> waiting = call();
        PendingCall<JsonValue> sent = call();
        calls.register(sent, 10);
        calls.next(socket, 10);
        calls.register(waiting, 10);
        assertSame(socket, calls.remove(sent));
        assertNull(calls.remove(waiting), "a waiting call was on no transport");
        assertEquals(List.of(), calls.waiting());
    }

    @Test
    void failingAllTakesTheMatchingCallsWaitingOrInFlight() {
        PendingCall<JsonValue> sent = call();
        PendingCall<JsonValue> waiting = call();
        calls.register(sent, 10);
        calls.next(socket, 10);
        calls.register(waiting, 10);
        assertEquals(List.of(sent), calls.remove(call -> call.via == socket));
        assertEquals(List.of(waiting), calls.remove(call -> true));
        assertEquals(0, calls.inFlight());
        assertEquals(List.of(), calls.waiting());
    }

    @Test
    void aDeadlineFailsTheCallWithATimeoutAndHandsItBack() throws Exception {
        PendingCall<JsonValue> call = call();
        calls.register(call, 10);
        calls.next(socket, 10);
        CompletableFuture<PendingCall<?>> handedBack = new CompletableFuture<>();
        PendingCalls.deadline(call, 20, timer, handedBack::complete);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(5, SECONDS));
        assertInstanceOf(CallTimeoutException.class, failed.getCause());
        assertSame(call, handedBack.get(5, SECONDS));
        assertEquals(20, call.deadlineMs);
    }

    @Test
    void aStreamsDeadlineStartsOverWhenAnItemComes() throws Exception {
        PendingCall<JsonValue> call = call();
        calls.register(call, 10);
        calls.next(socket, 10);
        CompletableFuture<PendingCall<?>> handedBack = new CompletableFuture<>();
        PendingCalls.deadline(call, 50, timer, handedBack::complete);
        Future<?> first = call.timer;
        call.madeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100); // as if an item came after the first timer was set
        ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(5, SECONDS));
        assertInstanceOf(CallTimeoutException.class, failed.getCause());
        assertNotSame(first, call.timer, "the first timer found the clock started over and set another");
        assertSame(call, handedBack.get(5, SECONDS));
    }

    @Test
    void anAnsweredCallsDeadlineNeverFires() {
        PendingCall<JsonValue> call = call();
        calls.register(call, 10);
        calls.next(socket, 10);
        PendingCalls.deadline(call, 60_000, timer, abandoned::set);
        calls.answered(call.key);
        assertTrue(call.timer.isCancelled());
    }

    @Test
    void cancellingTheFutureHandsTheCallBack() {
        PendingCall<JsonValue> call = call();
        assertTrue(call.cancel(true));
        assertSame(call, abandoned.get());
    }
}
