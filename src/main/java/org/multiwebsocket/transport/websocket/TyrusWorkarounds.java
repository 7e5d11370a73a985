package org.multiwebsocket.transport.websocket;

import jakarta.websocket.Session;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
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
}
