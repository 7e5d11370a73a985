package org.multiwebsocket.transport.websocket;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import java.io.IOException;

/**
 * The benchmark floor's share of the gateway's output workaround: the tuned echo's connections write
 * through the gateway's own {@link CorkedOutput}, held by their reader between a read and its next
 * question, as {@link LimitedUpgrade} and {@link LimitedInput} arrange it for the gateway (without the
 * size limit, which is the gateway's own work). In this package for {@link CorkedOutput}'s package
 * access; deployed only in the benchmark's {@code bare.war}, declared in its {@code web.xml} (to run
 * before Tyrus's own filter, as the gateway's {@code HandshakeFilter}) for {@code /echo-tuned} only.
 * Benchmark only.
 */
public class CorkedFloorFilter extends HttpFilter {

    /** The classes {@code bare.war} needs for this filter, the gateway's {@link CorkedOutput} among them. */
    public static final Class<?>[] CLASSES = {CorkedFloorFilter.class, Upgrade.class, CorkedOutput.class};
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
                ServletInputStream input = new HeldInput(connection.getInputStream(), output);
                OPENING.set(true);
                try {
                    open(connection, output, input);
                } finally {
                    OPENING.remove();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void open(WebConnection connection, CorkedOutput output, ServletInputStream input) {
            handler.init(new WebConnection() {
                @Override
                public ServletInputStream getInputStream() {
                    return input;
                }

                @Override
                public ServletOutputStream getOutputStream() {
                    return output;
                }

                @Override
                public void close() throws Exception {
                    try {
                        output.flushHeld();
                    } finally {
                        connection.close();
                    }
                }
            });
        }

        @Override
        public void destroy() {
            handler.destroy();
        }
    }

    /** The input's reader holds the output from a read that returned bytes until its next question. */
    private static final class HeldInput extends ServletInputStream {
        private final ServletInputStream in;
        private final CorkedOutput output;

        HeldInput(ServletInputStream in, CorkedOutput output) {
            this.in = in;
            this.output = output;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            output.release();
            int read = in.read(bytes, offset, length);
            if (read > 0) {
                output.hold();
            }
            return read;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
        }

        @Override
        public int available() throws IOException {
            output.release();
            return in.available();
        }

        @Override
        public boolean isReady() {
            output.release();
            return in.isReady();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(output.releasingAfter(listener));
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
