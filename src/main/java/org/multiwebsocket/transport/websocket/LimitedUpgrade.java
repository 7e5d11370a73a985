package org.multiwebsocket.transport.websocket;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stands between the container and the WebSocket implementation's upgrade handler, so that the
 * implementation reads the connection through a {@link LimitedInput}. When the implementation upgrades
 * a request {@link #request wrapped} here, the container is given this handler and the implementation
 * its own, created here as the container would; once upgraded, the container initialises this handler,
 * which passes the connection on with its input limited.
 *
 * <p>Why: Tyrus reads a whole frame into its incoming buffer before the application may look at it,
 * and closes with 1011 "Buffer overflow." past that buffer; it offers no hook between a frame's head,
 * which announces the length, and its payload. The bytes on their way in are the one place the limit
 * can be checked before the payload is held. Only standard Servlet API is used; an implementation
 * whose handler cannot be created here upgrades as before.
 *
 * <p>The same place gives the implementation a {@link CorkedOutput}, so that the answers the reading
 * thread writes while it handles one read leave in one write to the socket.
 *
 * <p>Two things here keep an idle connection small, as Tyrus keeps its upgrade handler for as long as
 * the connection lasts. The handler reads at most {@link #READ_CHUNK} bytes at a time: it keeps the array
 * of its largest read for the connection's lifetime, which would otherwise be up to a whole frame; the
 * frames themselves are held, up to {@code maxMessageBytes}, in Tyrus's engine ({@link
 * TyrusIncomingBuffer}). And once the handler has made the connection, it lets go of the handshake it
 * was made from ({@link TyrusWorkarounds#releaseHandshake}).
 */
public class LimitedUpgrade implements HttpUpgradeHandler {

    private static final Logger LOG = Logger.getLogger(LimitedUpgrade.class.getName());
    /** The most bytes Tyrus's upgrade handler reads at a time. */
    static final int READ_CHUNK = 4096;
    private static volatile boolean warned;
    private static volatile ReadSize readSize;

    private HttpUpgradeHandler handler;
    private InboundLimit limit;

    /** Created by the container when a wrapped request is upgraded. */
    public LimitedUpgrade() {
    }

    /**
     * @param request a WebSocket handshake that passed vetting
     * @param limit   the limit the connection's input is held to
     * @return the request, to be passed down the filter chain to the WebSocket implementation
     */
    static HttpServletRequest request(HttpServletRequest request, InboundLimit limit) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
                T handler;
                try {
                    handler = handlerClass.getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | RuntimeException e) {
                    if (!warned) {
                        warned = true;
                        LOG.log(Level.WARNING, "cannot limit the input of " + handlerClass.getName()
                                + "; frames over maxMessageBytes are read whole", e);
                    }
                    return super.upgrade(handlerClass);
                }
                readInChunks(handler);
                LimitedUpgrade limited = super.upgrade(LimitedUpgrade.class);
                limited.handler = handler;
                limited.limit = limit;
                return handler;
            }
        };
    }

    /**
     * Sets Tyrus's read size on its handler, through the public {@code setIncomingBufferSize} Tyrus's own
     * servlet upgrade calls with the context parameter {@value TyrusIncomingBuffer#PARAMETER} when that is
     * set (it then overrides this). Another implementation's handler is left as it is.
     */
    private static void readInChunks(HttpUpgradeHandler handler) {
        try {
            ReadSize known = readSize;
            if (known == null || known.type() != handler.getClass()) {
                known = new ReadSize(handler.getClass(), handler.getClass().getMethod("setIncomingBufferSize", int.class));
                readSize = known;
            }
            known.method().invoke(handler, READ_CHUNK);
        } catch (ReflectiveOperationException | RuntimeException notTyrus) {
            LOG.log(Level.FINEST, "the upgrade handler's read size stays as it is", notTyrus);
        }
    }

    @Override
    public void init(WebConnection connection) {
        try {
            CorkedOutput output = new CorkedOutput(connection.getOutputStream());
            ServletInputStream input = new LimitedInput(new CorkedInput(connection.getInputStream(), output), limit);
            handler.init(new CorkedConnection(connection, input, output));
            TyrusWorkarounds.releaseHandshake(handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void destroy() {
        handler.destroy();
    }

    private record ReadSize(Class<?> type, Method method) {
    }
}
