package org.multiwebsocket.bench.bare;

import jakarta.websocket.CloseReason;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.multiwebsocket.transport.websocket.CorkedFloorFilter;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The floor of the benchmark: the bare echo of {@link BareEchoEndpoint} with the gateway's container
 * workarounds (a copy of the technique of the gateway's {@code TyrusWorkarounds} and {@code Outbox}):
 * the session's idle-timeout executor swapped for one that schedules nothing (with the idle timeout 0
 * the task Tyrus schedules on every frame would do nothing), and the platform class loader as the
 * thread's context class loader around {@code sendText}, and the gateway's {@code CorkedOutput} (through
 * {@link CorkedFloorFilter}, checked at every open). What Payara's WebSocket stack costs per frame
 * once the per-frame context capture and timer are gone. Benchmark only.
 */
@ServerEndpoint("/echo-tuned")
public class TunedEchoEndpoint {

    private static final Logger LOG = Logger.getLogger(TunedEchoEndpoint.class.getName());
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    private static final ScheduledFuture<?> NOTHING = nothing();
    /** Runs what Tyrus hands it to run now; schedules nothing, as the gateway's {@code NothingScheduled}. */
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "bench-echo-timer");
        thread.setDaemon(true);
        return thread;
    }) {
        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return NOTHING;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return (ScheduledFuture<V>) NOTHING;
        }
    };
    private static final Field SERVICE = serviceField();

    @OnOpen
    public void open(Session session) throws IOException {
        // Unlike the gateway, the floor refuses to run untuned: Tyrus would only log an exception thrown
        // here, so a connection it cannot tune is closed (the load counts every close as an error, and
        // no call is answered) rather than measuring the untuned endpoint under the floor's name.
        String untuned = tune(session);
        if (untuned != null) {
            LOG.severe("the benchmark's floor is not tuned: " + untuned);
            session.close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "floor not tuned: " + untuned));
        }
    }

    /** @return why the session could not be tuned, null when it was */
    private static String tune(Session session) {
        if (SERVICE == null || !SERVICE.getDeclaringClass().isInstance(session)) {
            return "not Payara's Tyrus session";
        }
        try {
            SERVICE.set(session, TIMER);
        } catch (IllegalAccessException e) {
            return "cannot swap the session's executor";
        }
        session.setMaxIdleTimeout(0);
        return CorkedFloorFilter.corked() ? null : "not through CorkedFloorFilter, the output is not corked";
    }

    @OnMessage
    public void echo(String frame, Session session) {
        Thread thread = Thread.currentThread();
        ClassLoader application = thread.getContextClassLoader();
        thread.setContextClassLoader(PLATFORM);
        try {
            session.getAsyncRemote().sendText(frame);
        } finally {
            thread.setContextClassLoader(application);
        }
    }

    /** A future that is already cancelled: what every "scheduled" task gets back. */
    private static ScheduledFuture<?> nothing() {
        ScheduledThreadPoolExecutor once = new ScheduledThreadPoolExecutor(1);
        ScheduledFuture<?> future = once.schedule(() -> { }, 1, TimeUnit.DAYS);
        future.cancel(false);
        once.shutdownNow();
        return future;
    }

    private static Field serviceField() {
        try {
            Class<?> session = Class.forName("org.glassfish.tyrus.core.TyrusSession", false,
                    Session.class.getClassLoader() == null ? TunedEchoEndpoint.class.getClassLoader() : Session.class.getClassLoader());
            Field field = session.getDeclaredField("service");
            if (!ScheduledExecutorService.class.isAssignableFrom(field.getType())) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notTyrus) {
            return null;
        }
    }
}
