package org.multiwebsocket.transport.websocket;

import jakarta.websocket.Session;

import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes the container's managed executor off the frame path of Payara's Tyrus. Its session restarts
 * an idle-timeout task on every frame received or sent, on the container's managed scheduled
 * executor, and each such submission captures thread context by scanning the context class loader's
 * whole class path: most of the server's CPU per frame (see the README's benchmark). The gateway has
 * its own heartbeat and no idle timeout (0: the task does nothing and ends at once), so its sessions
 * get the gateway's own timer, which captures nothing. Only the gateway's own sessions are touched;
 * on another container, or if Tyrus changes, this does nothing but set the idle timeout to 0.
 */
final class TyrusWorkarounds {

    private static final Logger LOG = Logger.getLogger(TyrusWorkarounds.class.getName());
    private static final Field SERVICE = field("service", ScheduledExecutorService.class);
    private static volatile boolean warned;

    private TyrusWorkarounds() {
    }

    static void tune(Session session, ScheduledExecutorService timer) {
        if (SERVICE != null && SERVICE.getDeclaringClass().isInstance(session)) {
            try {
                SERVICE.set(session, timer);
            } catch (IllegalAccessException | RuntimeException e) {
                if (!warned) {
                    warned = true;
                    LOG.log(Level.FINE, "cannot give the WebSocket session the gateway's timer; it keeps the container's", e);
                }
            }
        }
        session.setMaxIdleTimeout(0);
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
}
