package org.multiwebsocket.transport.websocket;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.IOException;

/**
 * An upgraded connection's input as it tells the connection's {@link CorkedOutput} when the reading
 * thread starts and stops handling what it read: a read that returned bytes holds the reader's flushes;
 * reading again, asking what is available or whether more can be read, or the container's read
 * callback returning releases them.
 */
final class CorkedInput extends ServletInputStream {

    private final ServletInputStream in;
    private final CorkedOutput output;

    /**
     * @param in     the container's input of the connection
     * @param output the connection's output
     */
    CorkedInput(ServletInputStream in, CorkedOutput output) {
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

    /** Passes the listener on, to release what its reader held when each of its callbacks returns. */
    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(output.releasingAfter(listener));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
