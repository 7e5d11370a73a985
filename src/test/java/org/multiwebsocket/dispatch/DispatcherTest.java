package org.multiwebsocket.dispatch;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.dispatch.DispatchHarness.TestChannel;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.dispatch.DispatchHarness.request;

class DispatcherTest {

    private static int code(JsonObject answer) {
        return answer.getJsonObject("error").getInt("code");
    }

    @Test
    void aCallIsAnsweredAndReleasesItsSlot() throws Exception {
        try (DispatchHarness harness = new DispatchHarness(Map.of(), new TestServices.Echo())) {
            TestChannel channel = harness.channel(4);
            harness.send(channel, request(1, "echo", "{\"a\":1}"));
            assertEquals(1, channel.next().getJsonObject("result").getInt("a"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> channel.inFlight() == 0);
            assertEquals(1, channel.callsStarted());
        }
    }

    @Test
    void callsPastMaxInFlightAreOverloadedWithRetryAfter() throws Exception {
        TestServices.Stubborn stubborn = new TestServices.Stubborn();
        try (DispatchHarness harness = new DispatchHarness(Map.of("multiwebsocket.retry-after-ms", "123"), stubborn)) {
            TestChannel channel = harness.channel(2);
            harness.send(channel, request(1, "stubborn", null));
            harness.send(channel, request(2, "stubborn", null));
            harness.send(channel, request(3, "stubborn", null));
            JsonObject refused = channel.next();
            assertEquals(3, refused.getInt("id"));
            assertEquals(-32004, code(refused));
            assertEquals(123, refused.getJsonObject("error").getJsonObject("data").getInt("retryAfterMs"));
            stubborn.release.countDown();
            assertEquals("done", channel.next().getString("result"));
            assertEquals("done", channel.next().getString("result"));
        }
    }

    @Test
    void anIdAlreadyInFlightIsAnInvalidRequest() throws Exception {
        TestServices.Stubborn stubborn = new TestServices.Stubborn();
        try (DispatchHarness harness = new DispatchHarness(Map.of(), stubborn)) {
            TestChannel channel = harness.channel(4);
            harness.send(channel, request("x", "stubborn", null));
            harness.send(channel, request("x", "stubborn", null));
            JsonObject duplicate = channel.next();
            assertEquals(-32600, code(duplicate));
            assertEquals(1, channel.inFlight());
            stubborn.release.countDown();
            assertEquals("done", channel.next().getString("result"));
        }
    }

    @Test
    void aCancelledCallKeepsItsSlotUntilItsHandlerReallyReturns() throws Exception {
        TestServices.Stubborn stubborn = new TestServices.Stubborn();
        try (DispatchHarness harness = new DispatchHarness(Map.of(), stubborn)) {
            TestChannel channel = harness.channel(1);
            harness.send(channel, request(1, "stubborn", null));
            assertTrue(stubborn.started.await(5, TimeUnit.SECONDS));
            harness.send(channel, "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.cancel\",\"params\":{\"id\":1}}");
            assertEquals(-32005, code(channel.next()));
            harness.send(channel, request(2, "stubborn", null));
            assertEquals(-32004, code(channel.next()), "a second call ran beside a handler that had not returned");
            assertEquals(1, channel.inFlight());
            stubborn.release.countDown();
            await().atMost(5, TimeUnit.SECONDS).until(() -> channel.inFlight() == 0);
            assertNull(channel.answers.poll(200, TimeUnit.MILLISECONDS), "the cancelled call was answered twice");
        }
    }

    @Test
    void aDeadlineInterruptsASynchronousHandlerAndAnswersTimeout() throws Exception {
        TestServices.Sleepy sleepy = new TestServices.Sleepy();
        try (DispatchHarness harness = new DispatchHarness(Map.of("multiwebsocket.call-timeout-ms", "200"), sleepy)) {
            TestChannel channel = harness.channel(4);
            harness.send(channel, request(1, "sleepy", null));
            assertEquals(-32003, code(channel.next()));
            assertTrue(sleepy.interrupted.await(5, TimeUnit.SECONDS), "the handler was not interrupted");
            await().atMost(5, TimeUnit.SECONDS).until(() -> channel.inFlight() == 0);
            assertNull(channel.answers.poll(200, TimeUnit.MILLISECONDS), "the timed-out call was answered twice");
        }
    }

    @Test
    void aDeadlineCancelsTheAsynchronousHandlersOwnStage() throws Exception {
        TestServices.Pending pending = new TestServices.Pending();
        try (DispatchHarness harness = new DispatchHarness(Map.of("multiwebsocket.call-timeout-ms", "200"), pending)) {
            TestChannel channel = harness.channel(4);
            harness.send(channel, request(1, "pending", null));
            assertEquals(-32003, code(channel.next()));
            await().atMost(5, TimeUnit.SECONDS).until(() -> pending.stage != null && pending.stage.isCancelled());
            await().atMost(5, TimeUnit.SECONDS).until(() -> channel.inFlight() == 0);
        }
    }

    @Test
    void workerThreadsAreNotLeftInterruptedAfterASynchronousCall() throws Exception {
        try (DispatchHarness harness = new DispatchHarness(Map.of("multiwebsocket.worker-threads", "1"),
                new TestServices.Echo(), new TestServices.Interrupted())) {
            TestChannel channel = harness.channel(4);
            for (int i = 0; i < 20; i++) {
                harness.send(channel, request(i, "echo", "{}"));
                channel.next();
            }
            harness.send(channel, request("last", "interrupted", null));
            assertFalse(channel.next().getBoolean("result"), "the worker thread arrived interrupted");
            synchronized (harness.interruptedAtDeactivation) {
                assertFalse(harness.interruptedAtDeactivation.contains(true),
                        "a request context was torn down on an interrupted thread");
            }
        }
    }

    @Test
    void abandoningAChannelStopsItsHandlersAndAnswersNobody() throws Exception {
        TestServices.Sleepy sleepy = new TestServices.Sleepy();
        try (DispatchHarness harness = new DispatchHarness(Map.of(), sleepy)) {
            TestChannel channel = harness.channel(4);
            harness.send(channel, request(1, "sleepy", null));
            assertTrue(sleepy.started.await(5, TimeUnit.SECONDS));
            channel.abandon();
            assertTrue(sleepy.interrupted.await(5, TimeUnit.SECONDS), "the handler was not stopped");
            await().atMost(5, TimeUnit.SECONDS).until(() -> channel.inFlight() == 0);
            assertNull(channel.answers.poll(200, TimeUnit.MILLISECONDS), "an abandoned call was answered");
        }
    }

    @Test
    void everyCallIsAnsweredExactlyOnceWhenCancelsRaceCompletions() throws Exception {
        try (DispatchHarness harness = new DispatchHarness(Map.of("multiwebsocket.max-in-flight", "10000"),
                new TestServices.Echo())) {
            TestChannel channel = harness.channel(10_000);
            int calls = 2_000;
            for (int i = 0; i < calls; i++) {
                harness.send(channel, request(i, "echo", "{}"));
                harness.send(channel, "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.cancel\",\"params\":{\"id\":" + i + "}}");
            }
            java.util.Set<Integer> answered = new java.util.HashSet<>();
            for (int i = 0; i < calls; i++) {
                assertTrue(answered.add(channel.next().getInt("id")), "a call was answered twice");
            }
            assertNull(channel.answers.poll(200, TimeUnit.MILLISECONDS), "more answers than calls");
            await().atMost(5, TimeUnit.SECONDS).until(() -> channel.inFlight() == 0);
        }
    }

    @Test
    void aClientFloodingABlockingServiceHoldsOnlyItsShareOfTheThreads() throws Exception {
        TestServices.Stubborn stubborn = new TestServices.Stubborn();
        try (DispatchHarness harness = new DispatchHarness(Map.of("multiwebsocket.worker-threads", "4",
                "multiwebsocket.max-threads-per-client", "2"), stubborn, new TestServices.Echo())) {
            TestChannel flooder = harness.channel(100);
            for (int i = 0; i < 50; i++) {
                harness.send(flooder, request(i, "stubborn", null));
            }
            assertTrue(stubborn.started.await(5, TimeUnit.SECONDS));
            TestChannel bystander = harness.channel(100);
            harness.send(bystander, request("b", "echo", "{\"x\":1}"));
            assertEquals(1, bystander.next().getJsonObject("result").getInt("x"), "the bystander was starved");
            assertEquals(2, flooder.lane().running());
            stubborn.release.countDown();
            for (int i = 0; i < 50; i++) {
                assertEquals("done", flooder.next().getString("result"));
            }
            await().atMost(5, TimeUnit.SECONDS).until(() -> flooder.inFlight() == 0 && flooder.lane().running() == 0);
        }
    }

    @Test
    void callsPastTheNodesCapAreOverloadedOnEveryChannel() throws Exception {
        TestServices.Stubborn stubborn = new TestServices.Stubborn();
        try (DispatchHarness harness = new DispatchHarness(Map.of("multiwebsocket.max-calls", "3"),
                stubborn, new TestServices.Echo())) {
            TestChannel first = harness.channel(100);
            for (int i = 0; i < 3; i++) {
                harness.send(first, request(i, "stubborn", null));
            }
            TestChannel second = harness.channel(100);
            harness.send(second, request("late", "echo", "{}"));
            JsonObject refused = second.next();
            assertEquals(-32004, code(refused));
            assertEquals("the gateway is at capacity", refused.getJsonObject("error").getJsonObject("data").getString("reason"));
            stubborn.release.countDown();
            for (int i = 0; i < 3; i++) {
                first.next();
            }
            await().atMost(5, TimeUnit.SECONDS).until(() -> harness.admission.callsAdmitted() == 0);
            harness.send(second, request("again", "echo", "{}"));
            assertEquals("again", second.next().getString("id"));
        }
    }

    @Test
    void aNonBlockingHandlerRunsOnTheThreadThatReadTheFrame() throws Exception {
        try (DispatchHarness harness = new DispatchHarness(Map.of(), new TestServices.Inline(), new TestServices.Echo())) {
            TestChannel channel = harness.channel(4);
            harness.send(channel, request(1, "inline", null));
            assertEquals(Thread.currentThread().getName(), channel.next().getString("result"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> channel.inFlight() == 0);
        }
    }

    @Test
    void aBatchOfDiscoverRequestsWritesTheDocumentOnce() throws Exception {
        try (DispatchHarness harness = new DispatchHarness(Map.of())) {
            TestChannel channel = harness.channel(4);
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                batch.append(i == 0 ? "" : ",").append(request(i, "rpc.discover", null));
            }
            harness.send(channel, batch.append(']').toString());
            String answer = channel.answers.poll(5, TimeUnit.SECONDS);
            assertEquals(100, org.multiwebsocket.protocol.JsonRpc.read(answer).asJsonArray().size());
            assertEquals(1, harness.discoveryDocuments.get(), "the discovery document was written more than once");
        }
    }
}
