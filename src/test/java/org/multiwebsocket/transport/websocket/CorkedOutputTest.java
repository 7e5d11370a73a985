package org.multiwebsocket.transport.websocket;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorkedOutputTest {

    private final Socket socket = new Socket();
    private final CorkedOutput output = new CorkedOutput(socket);

    @Test
    void theReadersFlushesWaitUntilItIsDoneWithTheRead() throws IOException {
        output.hold();
        answer("one");
        answer("two");
        answer("three");
        assertEquals("", socket.sent(), "nothing leaves while the reader handles its read");

        output.release();

        assertEquals("onetwothree", socket.sent());
        assertEquals(1, socket.flushes);
    }

    @Test
    void anotherThreadsFlushGoesOutAtOnceAndTakesWhatTheReaderHeld() throws Exception {
        output.hold();
        answer("read ");
        CompletableFuture.runAsync(() -> {
            try {
                answer("worker");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.SECONDS);

        assertEquals("read worker", socket.sent());
        assertEquals(1, socket.flushes);

        output.release();
        assertEquals(1, socket.flushes, "nothing was left to flush");
    }

    @Test
    void onlyTheReaderReleasesItsHold() throws Exception {
        output.hold();
        answer("held");
        CompletableFuture.runAsync(output::release).get(5, TimeUnit.SECONDS);
        assertEquals("", socket.sent());

        output.release();
        assertEquals("held", socket.sent());
    }

    @Test
    void whatWasHeldIsFlushedBeforeTheConnectionCloses() throws IOException {
        output.hold();
        answer("last");

        output.flushHeld();

        assertEquals("last", socket.sent());
        assertEquals(1, socket.flushes);
    }

    @Test
    void theInputHoldsFromAReadThatReturnedBytesUntilItsReaderAsksForMore() throws IOException {
        Client client = new Client("\u0081\u0000".getBytes(StandardCharsets.ISO_8859_1));
        CorkedInput input = new CorkedInput(client, output);

        assertEquals(2, input.read(new byte[16], 0, 16));
        answer("answer");
        assertEquals("", socket.sent());

        input.isReady();
        assertEquals("answer", socket.sent());
    }

    @Test
    void aReaderThatReadsAgainFlushesFirst() throws IOException {
        Client client = new Client("\u0081\u0000".getBytes(StandardCharsets.ISO_8859_1));
        CorkedInput input = new CorkedInput(client, output);
        input.read(new byte[16], 0, 16);
        answer("answer");

        assertEquals(0, input.read(new byte[16], 0, 16), "nothing more was sent");

        assertEquals("answer", socket.sent(), "a blocking reader must not wait for input with answers held");
        input.read(new byte[16], 0, 16);
        assertEquals(1, socket.flushes, "a read of nothing holds nothing");
    }

    @Test
    void whatTheReaderHeldLeavesWhenTheContainersReadCallbackReturns() throws IOException {
        Client client = new Client(new byte[0]);
        CorkedInput input = new CorkedInput(client, output);
        input.setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
                output.hold();
                answer("answered, and the loop ended without asking for more");
            }

            @Override
            public void onAllDataRead() {
            }

            @Override
            public void onError(Throwable t) {
            }
        });

        client.listener.onDataAvailable();

        assertEquals("answered, and the loop ended without asking for more", socket.sent());
    }

    @Test
    void whatTheReaderHeldLeavesWhenAnyReadCallbackEndsEvenByThrowing() throws IOException {
        Client client = new Client(new byte[0]);
        new CorkedInput(client, output).setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
                output.hold();
                answer("1 ");
                throw new IOException("the implementation failed");
            }

            @Override
            public void onAllDataRead() throws IOException {
                output.hold();
                answer("2 ");
            }

            @Override
            public void onError(Throwable t) {
                output.hold();
                try {
                    answer("3");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        assertThrows(IOException.class, client.listener::onDataAvailable);
        assertEquals("1 ", socket.sent());
        client.listener.onAllDataRead();
        assertEquals("1 2 ", socket.sent());
        client.listener.onError(new IOException("reset"));
        assertEquals("1 2 3", socket.sent());
    }

    @Test
    void askingWhatIsAvailableReleases() throws IOException {
        CorkedInput input = new CorkedInput(new Client(new byte[0]), output);
        output.hold();
        answer("answer");

        input.available();

        assertEquals("answer", socket.sent());
    }

    @Test
    void aHeldFlushThatFailedFailsTheNextSend() throws IOException {
        socket.failFlushes = true;
        output.hold();
        answer("lost");
        output.release();

        socket.failFlushes = false;
        IOException next = assertThrows(IOException.class, () -> answer("next"));
        assertEquals("an earlier flush failed", next.getMessage());
    }

    @Test
    void closingTheConnectionTheImplementationSeesFlushesWhatItsReaderHeldFirst() throws Exception {
        LimitedUpgrade.request(upgrading(), new InboundLimit(1024)).upgrade(Opened.class);
        Client client = new Client("\u0081\u0000".getBytes(StandardCharsets.ISO_8859_1));
        Container container = new Container(client, socket);

        upgraded.init(container);
        WebConnection seen = Opened.MADE.get().connection;
        seen.getInputStream().read(new byte[16], 0, 16);
        seen.getOutputStream().write("close frame".getBytes(StandardCharsets.UTF_8));
        seen.getOutputStream().flush();
        assertEquals("", socket.sent());

        seen.close();

        assertEquals("close frame", socket.sent());
        assertTrue(container.closed(), "and then the connection closes");
    }

    private void answer(String text) throws IOException {
        output.write(text.getBytes(StandardCharsets.UTF_8));
        output.flush();
    }

    /** A request the container would upgrade: only {@code upgrade} is called. */
    private HttpServletRequest upgrading() {
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{HttpServletRequest.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("upgrade")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Object handler = ((Class<?>) args[0]).getDeclaredConstructor().newInstance();
                    if (handler instanceof LimitedUpgrade limited) {
                        upgraded = limited;
                    }
                    return handler;
                });
    }

    private LimitedUpgrade upgraded;

    /** The implementation's handler: made by the gateway's wrapper, told the connection it sees. */
    public static final class Opened implements HttpUpgradeHandler {
        private static final ThreadLocal<Opened> MADE = new ThreadLocal<>();
        WebConnection connection;

        public Opened() {
            MADE.set(this);
        }

        @Override
        public void init(WebConnection connection) {
            this.connection = connection;
        }

        @Override
        public void destroy() {
        }
    }

    /** The upgraded connection as the container gives it. */
    private record Container(Client input, Socket output, boolean[] closedFlag) implements WebConnection {
        Container(Client input, Socket output) {
            this(input, output, new boolean[1]);
        }

        boolean closed() {
            return closedFlag[0];
        }

        @Override
        public ServletInputStream getInputStream() {
            return input;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return output;
        }

        @Override
        public void close() {
            closedFlag[0] = true;
        }
    }

    /** The container's output: bytes count as sent once flushed. */
    private static final class Socket extends ServletOutputStream {
        private final ByteArrayOutputStream buffered = new ByteArrayOutputStream();
        private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int flushes;
        boolean failFlushes;

        String sent() {
            return sent.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void write(int b) {
            buffered.write(b);
        }

        @Override
        public void flush() throws IOException {
            if (failFlushes) {
                throw new IOException("connection reset");
            }
            flushes++;
            sent.writeBytes(buffered.toByteArray());
            buffered.reset();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }
    }

    /** The container's input: the given bytes, then nothing. */
    private static final class Client extends ServletInputStream {
        private final byte[] bytes;
        ReadListener listener;
        private int position;

        Client(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            int n = Math.min(length, bytes.length - position);
            System.arraycopy(bytes, position, into, offset, n);
            position += n;
            return n;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int available() {
            return bytes.length - position;
        }

        @Override
        public boolean isReady() {
            return position < bytes.length;
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            this.listener = listener;
        }
    }
}
