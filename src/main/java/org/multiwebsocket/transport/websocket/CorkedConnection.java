package org.multiwebsocket.transport.websocket;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;

/**
 * An upgraded connection as the container's WebSocket implementation sees it: the container's
 * connection with the given input and a {@link CorkedOutput}, whose held flush goes out before the
 * connection closes.
 *
 * @param connection the container's connection
 * @param input      its input as the implementation reads it
 * @param output     its output, corked
 */
record CorkedConnection(WebConnection connection, ServletInputStream input, CorkedOutput output) implements WebConnection {

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
}
