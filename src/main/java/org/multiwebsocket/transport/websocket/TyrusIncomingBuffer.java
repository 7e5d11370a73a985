package org.multiwebsocket.transport.websocket;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;
import org.multiwebsocket.config.GatewayConfig;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sizes Tyrus's incoming buffer from {@value GatewayConfig#MAX_MESSAGE_BYTES} at startup, so that the
 * gateway's configuration is the one place the limit is set: one frame within the limit, head included
 * ({@link FrameHeads#largestFrame}). Frames over it never reach Tyrus ({@link LimitedInput}); the buffer
 * bounds what Tyrus holds for the frames that do.
 *
 * <p>Tyrus's servlet integration keeps that size twice, both from the context parameter
 * {@value #PARAMETER} (default 4 MiB + 11 bytes): {@code TyrusServletUpgrade.upgrade} reads it at every
 * handshake for the upgrade handler's reads, so setting it here, before any request, is enough; {@code
 * TyrusServletContainerInitializer.onStartup} reads it once for the engine, which holds incomplete
 * frames. Payara calls the initializers in no fixed order (from a HashMap keyed by their classes), so
 * none of ours is sure to run before Tyrus's; the engine's size is set here instead, through its public
 * {@code setIncomingBufferSize}, which every later upgrade uses. That takes reflection, as the WAR is
 * not compiled against Tyrus; on another implementation the parameter is inert and no engine is found.
 */
@WebListener
public class TyrusIncomingBuffer implements ServletContextListener {

    static final String PARAMETER = "org.glassfish.tyrus.servlet.incoming-buffer-size";
    private static final Logger LOG = Logger.getLogger(TyrusIncomingBuffer.class.getName());

    @Inject
    GatewayConfig config;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        int size = FrameHeads.largestFrame(config.maxMessageBytes());
        String value = Integer.toString(size);
        if (!context.setInitParameter(PARAMETER, value) && !value.equals(context.getInitParameter(PARAMETER))) {
            LOG.warning(PARAMETER + " is set to " + context.getInitParameter(PARAMETER) + " in a descriptor; "
                    + GatewayConfig.MAX_MESSAGE_BYTES + " would set it to " + value);
        }
        if (sizeEngine(context.getAttribute(ServerContainer.class.getName()), size)) {
            LOG.config(() -> "Tyrus's incoming buffer: " + size + " bytes");
        }
    }

    private static boolean sizeEngine(Object container, int size) {
        if (container == null) {
            return false;
        }
        try {
            Class<?> tyrusContainer = Class.forName("org.glassfish.tyrus.spi.ServerContainer", false,
                    container.getClass().getClassLoader());
            if (!tyrusContainer.isInstance(container)) {
                return false;
            }
            Object engine = tyrusContainer.getMethod("getWebSocketEngine").invoke(container);
            engine.getClass().getMethod("setIncomingBufferSize", int.class).invoke(engine, size);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notTyrus) {
            LOG.log(Level.FINE, "no Tyrus engine to size; its incoming buffer stays as it is", notTyrus);
            return false;
        }
    }
}
