package org.multiwebsocket.dispatch;

import jakarta.json.JsonValue;
import org.multiwebsocket.service.CallContext;
import org.multiwebsocket.service.Service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Handlers for the dispatch core's unit tests; each instance has its own latches. */
final class TestServices {

    private TestServices() {
    }

    @Service("echo")
    public static class Echo {
        public JsonValue call(JsonValue params) {
            return params;
        }
    }

    /** Blocks until released, ignoring interrupts, like a handler stuck in a call that cannot be interrupted. */
    @Service("stubborn")
    public static class Stubborn {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch returned = new CountDownLatch(1);

        public String call() {
            started.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    if (release.await(10, TimeUnit.SECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            returned.countDown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return "done";
        }
    }

    /** Sleeps until interrupted, recording that it was. */
    @Service("sleepy")
    public static class Sleepy {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        public String call() {
            started.countDown();
            try {
                Thread.sleep(10_000);
                return "woke up";
            } catch (InterruptedException e) {
                interrupted.countDown();
                return "interrupted";
            }
        }
    }

    /** Answers asynchronously with a stage it never completes itself. */
    @Service("pending")
    public static class Pending {
        volatile CompletableFuture<String> stage;

        public CompletableFuture<String> call() {
            stage = new CompletableFuture<>();
            return stage;
        }
    }

    /** Reports whether its worker thread arrived interrupted. */
    @Service("interrupted")
    public static class Interrupted {
        public boolean call(CallContext context) {
            return Thread.currentThread().isInterrupted();
        }
    }

    /** Names the thread it runs on. */
    @Service("inline")
    @org.multiwebsocket.service.NonBlocking
    public static class Inline {
        public String call() {
            return Thread.currentThread().getName();
        }
    }
}
