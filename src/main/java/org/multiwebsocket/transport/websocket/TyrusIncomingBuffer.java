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
 * <p>Tyrus's servlet integration reads two sizes from the context parameter {@value #PARAMETER}
 * (default 4 MiB + 11 bytes): {@code TyrusServletContainerInitializer.onStartup} reads it once for the
 * engine, which holds incomplete frames; {@code TyrusServletUpgrade.upgrade} reads it at every handshake
 * as the most its upgrade handler reads at a time. The gateway sets neither through the parameter. The
 * handler's reads are sized per connection by {@link LimitedUpgrade} ({@value LimitedUpgrade#READ_CHUNK}
 * bytes): the handler keeps the array of its largest read for the connection's lifetime, so reads of a
 * whole frame would cost an idle connection up to {@code maxMessageBytes}; and Tyrus copies the context
 * parameters into every connection's handshake record. The engine's size is set here, through its public
 * {@code setIncomingBufferSize}, which every later upgrade uses: Payara calls the initializers in no fixed
 * order (from a HashMap keyed by their classes), so none of ours is sure to run before Tyrus's. That
 * takes reflection, as the WAR is not compiled against Tyrus; on another implementation no engine is
 * found. A value set for the parameter in a descriptor still applies to the handler's reads.
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
        String set = context.getInitParameter(PARAMETER);
        if (set != null) {
            LOG.warning(PARAMETER + " is set to " + set + " in a descriptor: Tyrus reads that much at a time on every"
                    + " connection and each keeps an array of its largest read; the gateway would read "
                    + LimitedUpgrade.READ_CHUNK + " bytes at a time and size Tyrus's engine from "
                    + GatewayConfig.MAX_MESSAGE_BYTES + " (" + size + " bytes), which it does all the same");
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
