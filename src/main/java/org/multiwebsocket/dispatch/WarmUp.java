package org.multiwebsocket.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.registry.AccessRule;
import org.multiwebsocket.registry.Handler;
import org.multiwebsocket.service.CallContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the frame path a few thousand times right after startup, on a channel of its own that goes
 * nowhere and against a handler of its own, so that the JIT has compiled the gateway's hot code before
 * the first client arrives instead of during its first minute of traffic. It calls none of the
 * application's services. {@code multiwebsocket.warm-up-calls} sets how many calls (0: none).
 */
@ApplicationScoped
public class WarmUp {

    /** Calls run through the dispatcher at startup to warm its code up; 0 turns warming up off. */
    public static final String WARM_UP_CALLS = "multiwebsocket.warm-up-calls";

    private static final Logger LOG = Logger.getLogger(WarmUp.class.getName());
    private static final String FRAME = JsonRpc.request(JsonValue.NULL, "warm-up", "{\"name\":\"warm-up\"}")
            .replace("\"id\":null", "\"id\":1");

    @Inject
    Dispatcher dispatcher;
    @Inject
    Admission admission;
    @Inject
    Workers workers;

    void startup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        int calls = GatewayConfig.nonNegative(WARM_UP_CALLS, 20_000);
        if (calls > 0) {
            Thread thread = new Thread(() -> run(calls), "multiwebsocket-warm-up");
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            thread.start();
        }
    }

    private void run(int calls) {
        long start = System.nanoTime();
        Dispatcher core = dispatcher.unproxied().get();
        Channel channel = new Channel("warm-up", new Origin(false, "localhost", ""), null, null, 64,
                admission.unproxied().get().newLane()) {
            @Override
            public String transport() {
                return "warm-up";
            }

            @Override
            protected boolean counted() {
                return false;
            }
        };
        try {
            for (int i = 0; i < calls; i++) {
                CountDownLatch answered = new CountDownLatch(1);
                core.warm(channel, FRAME, ECHO, answer -> answered.countDown());
                if (!answered.await(5, TimeUnit.SECONDS)) {
                    return;
                }
            }
            LOG.fine(() -> "warmed up with " + calls + " calls in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (InterruptedException | RuntimeException e) {
            LOG.log(Level.FINE, "warm-up stopped", e);
        }
    }

    /** A handler of the warm-up's own: answers its params. */
    private static final Handler ECHO = new Handler() {
        @Override
        public String name() {
            return "warm-up";
        }

        @Override
        public AccessRule access() {
            return AccessRule.OPEN;
        }

        @Override
        public boolean needsRequestContext() {
            return false;
        }

        @Override
        public boolean nonBlocking() {
            return false;
        }

        @Override
        public CompletionStage<?> invoke(JsonValue params, CallContext context) {
            return CompletableFuture.completedFuture(params);
        }

        @Override
        public Listing listing() {
            return new Listing("", false, null, null);
        }
    };
}
