package org.multiwebsocket.transport.websocket;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        LimitedInput input = new LimitedInput(client, output, new InboundLimit(1024));

        assertEquals(2, input.read(new byte[16], 0, 16));
        answer("answer");
        assertEquals("", socket.sent());

        input.isReady();
        assertEquals("answer", socket.sent());
    }

    @Test
    void aReaderThatReadsAgainFlushesFirst() throws IOException {
        Client client = new Client("\u0081\u0000".getBytes(StandardCharsets.ISO_8859_1));
        LimitedInput input = new LimitedInput(client, output, new InboundLimit(1024));
        input.read(new byte[16], 0, 16);
        answer("answer");

        assertEquals(0, input.read(new byte[16], 0, 16), "nothing more was sent");

        assertEquals("answer", socket.sent(), "a blocking reader must not wait for input with answers held");
        input.read(new byte[16], 0, 16);
        assertEquals(1, socket.flushes, "a read of nothing holds nothing");
    }

    private void answer(String text) throws IOException {
        output.write(text.getBytes(StandardCharsets.UTF_8));
        output.flush();
    }

    /** The container's output: bytes count as sent once flushed. */
    private static final class Socket extends ServletOutputStream {
        private final ByteArrayOutputStream buffered = new ByteArrayOutputStream();
        private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int flushes;

        String sent() {
            return sent.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void write(int b) {
            buffered.write(b);
        }

        @Override
        public void flush() {
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
        }
    }
}
