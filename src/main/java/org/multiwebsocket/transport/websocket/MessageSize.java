package org.multiwebsocket.transport.websocket;

/** The size of a text frame as the limit {@code maxMessageBytes} counts it: UTF-8 bytes. */
final class MessageSize {

    private MessageSize() {
    }

    /** The UTF-8 length of a text, counted only as far as needed to know whether it exceeds the limit. */
    static long utf8Length(String text, int limit) {
        if (text.length() > limit) {
            return text.length();
        }
        if ((long) text.length() * 3 <= limit) {
            return text.length();
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
