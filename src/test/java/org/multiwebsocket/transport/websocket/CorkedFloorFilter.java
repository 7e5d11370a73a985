package org.multiwebsocket.transport.websocket;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import java.io.IOException;

/**
 * The benchmark floor's share of the gateway's output workaround: the tuned echo's connections are the
 * gateway's own {@link CorkedConnection}, {@link CorkedInput} and {@link CorkedOutput}, as {@link
 * LimitedUpgrade} arranges them for the gateway (without the size limit, which is the gateway's own
 * work), and Tyrus reads as much at a time as the gateway's does. In this package for their package
 * access; deployed only in the benchmark's {@code bare.war}, declared in its {@code web.xml} (to run
 * before Tyrus's own filter, as the gateway's {@code HandshakeFilter}) for {@code /echo-tuned} only.
 * Benchmark only.
 */
public class CorkedFloorFilter extends HttpFilter {

    /** The classes {@code bare.war} needs for this filter, the gateway's {@link CorkedOutput} among them. */
    public static final Class<?>[] CLASSES = {CorkedFloorFilter.class, Upgrade.class, CorkedOutput.class, CorkedInput.class,
            CorkedConnection.class};
    /** True on the thread that initialises a corked connection, where Tyrus opens the endpoint. */
    private static final ThreadLocal<Boolean> OPENING = ThreadLocal.withInitial(() -> false);

    /** @return whether the endpoint being opened on this thread got a corked connection */
    public static boolean corked() {
        return OPENING.get();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
                T handler;
                try {
                    handler = handlerClass.getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new ServletException("the floor cannot wrap " + handlerClass.getName(), e);
                }
                try {
                    handler.getClass().getMethod("setIncomingBufferSize", int.class).invoke(handler, LimitedUpgrade.READ_CHUNK);
                } catch (ReflectiveOperationException e) {
                    throw new ServletException("the floor cannot size the reads of " + handlerClass.getName(), e);
                }
                super.upgrade(Upgrade.class).handler = handler;
                return handler;
            }
        }, response);
    }

    /** Created by the container; passes the connection on with its output corked. */
    public static final class Upgrade implements HttpUpgradeHandler {
        private HttpUpgradeHandler handler;

        @Override
        public void init(WebConnection connection) {
            try {
                CorkedOutput output = new CorkedOutput(connection.getOutputStream());
                OPENING.set(true);
                try {
                    handler.init(new CorkedConnection(connection, new CorkedInput(connection.getInputStream(), output), output));
                } finally {
                    OPENING.remove();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void destroy() {
            handler.destroy();
        }
    }
}
