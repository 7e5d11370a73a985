package org.multiwebsocket.transport.websocket;

import jakarta.websocket.Session;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.lang.reflect.Modifier;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes the container's managed executor off the frame path of Payara's Tyrus. Its session restarts
 * an idle-timeout task on every frame received or sent, on the container's managed scheduled
 * executor, and each such submission captures thread context by scanning the context class loader's
 * whole class path: most of the server's CPU per frame (see the README's benchmark). The gateway has
 * its own heartbeat and no idle timeout (0: the task would do nothing), so its sessions get a scheduler
 * that schedules nothing. Only the gateway's own sessions are touched;
 * on another container, or if Tyrus changes, this does nothing but set the idle timeout to 0.
 *
 * <p>And it lets Tyrus's servlet upgrade handler forget the handshake once the connection is made
 * ({@link #releaseHandshake}).
 */
final class TyrusWorkarounds {

    private static final Logger LOG = Logger.getLogger(TyrusWorkarounds.class.getName());
    private static final Field SERVICE = field("service", ScheduledExecutorService.class);
    private static final String UPGRADE_HANDLER = "org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler";
    private static final String UPGRADE_INFO = "org.glassfish.tyrus.spi.WebSocketEngine$UpgradeInfo";
    private static volatile boolean warned;
    private static volatile HandshakeField handshake;

    private TyrusWorkarounds() {
    }

    static void tune(Session session, NothingScheduled scheduler) {
        if (SERVICE != null && SERVICE.getDeclaringClass().isInstance(session)) {
            try {
                SERVICE.set(session, scheduler);
            } catch (IllegalAccessException | RuntimeException e) {
                if (!warned) {
                    warned = true;
                    LOG.log(Level.FINE, "cannot take the WebSocket session's idle timer off the container's executor", e);
                }
            }
        }
        session.setMaxIdleTimeout(0);
    }

    /**
     * Tyrus's servlet upgrade handler keeps the handshake it made the connection from (its {@code
     * upgradeInfo}: the request's headers, parameters and user properties, and the 101 response's
     * headers, about 2.6 KB) for as long as the connection lasts, but reads it only in {@code init}, to
     * make the connection. Once {@code init} has returned, the field is cleared. Only that class of
     * Tyrus (2.1) is touched; any other handler, or a Tyrus whose field differs, is left as it is.
     *
     * @param handler an upgrade handler whose {@code init} has returned
     */
    static void releaseHandshake(Object handler) {
        HandshakeField known = handshake;
        if (known == null || known.type() != handler.getClass()) {
            known = new HandshakeField(handler.getClass(), upgradeInfo(handler.getClass()));
            handshake = known;
        }
        if (known.field() != null) {
            try {
                known.field().set(handler, null);
            } catch (IllegalAccessException | RuntimeException e) {
                LOG.log(Level.FINEST, "the upgrade handler keeps its handshake", e);
            }
        }
    }

    private record HandshakeField(Class<?> type, Field field) {
    }

    private static Field upgradeInfo(Class<?> handler) {
        if (!UPGRADE_HANDLER.equals(handler.getName())) {
            return null;
        }
        try {
            Field field = handler.getDeclaredField("upgradeInfo");
            if (!UPGRADE_INFO.equals(field.getType().getName()) || Modifier.isFinal(field.getModifiers())
                    || Modifier.isStatic(field.getModifiers())) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException notThatTyrus) {
            return null;
        }
    }

    private static Field field(String name, Class<?> type) {
        try {
            Class<?> session = Class.forName("org.glassfish.tyrus.core.TyrusSession", false,
                    Session.class.getClassLoader() == null ? TyrusWorkarounds.class.getClassLoader() : Session.class.getClassLoader());
            Field field = session.getDeclaredField(name);
            if (!type.isAssignableFrom(field.getType())) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notTyrus) {
            return null;
        }
    }

    /**
     * The scheduler the gateway's sessions get: Tyrus schedules an idle-timeout task on it for every
     * frame, which with an idle timeout of 0 would do nothing when it ran; so nothing is scheduled at all
     * (the gateway has a heartbeat of its own). Each "scheduled" task comes back already cancelled.
     * Anything Tyrus hands it to run now still runs, on the executor it had before (the gateway's timer).
     */
    static final class NothingScheduled extends AbstractExecutorService
            implements ScheduledExecutorService {

        private final ScheduledExecutorService delegate;

        NothingScheduled(ScheduledExecutorService delegate) {
            this.delegate = delegate;
        }

        private static final ScheduledFuture<Object> CANCELLED = new ScheduledFuture<>() {
            @Override
            public long getDelay(TimeUnit unit) {
                return 0;
            }

            @Override
            public int compareTo(Delayed other) {
                return 0;
            }

            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                return false;
            }

            @Override
            public boolean isCancelled() {
                return true;
            }

            @Override
            public boolean isDone() {
                return true;
            }

            @Override
            public Object get() {
                throw new CancellationException();
            }

            @Override
            public Object get(long timeout, TimeUnit unit) {
                throw new CancellationException();
            }
        };

        @SuppressWarnings("unchecked")
        private static <V> ScheduledFuture<V> cancelled() {
            return (ScheduledFuture<V>) CANCELLED;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return cancelled();
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay,
                                                                    TimeUnit unit) {
            return cancelled();
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
                                                                          TimeUnit unit) {
            return cancelled();
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                                             TimeUnit unit) {
            return cancelled();
        }

        @Override
        public void execute(Runnable command) {
            delegate.execute(command);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    }
}
