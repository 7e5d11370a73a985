package org.multiwebsocket.transport.websocket;

/**
 * The size limit on what a client sends over its WebSocket connection, shared by the input that reads
 * the frame heads ({@link LimitedInput}) and the connection, which closes itself with 1009 when told
 * that a frame or message went over it.
 */
final class InboundLimit {

    private final int maxMessageBytes;
    private volatile Runnable closer;

    /** @param maxMessageBytes the most payload bytes a message may have */
    InboundLimit(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** @param closer closes the connection with 1009; set once the connection is open */
    void onExceeded(Runnable closer) {
        this.closer = closer;
    }

    /** A frame or message went over the limit. */
    void exceeded() {
        Runnable close = closer;
        if (close != null) {
            close.run();
        }
    }
}
