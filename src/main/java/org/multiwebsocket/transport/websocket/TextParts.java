package org.multiwebsocket.transport.websocket;

/**
 * The parts of a connection's text message, as Tyrus hands them to a partial handler: joined until the last
 * part, or until what is held is longer than the limit in chars (so that a message that can only be
 * refused is not held any longer; the exact limit, in UTF-8 bytes, is {@link Connections#onFrame}'s).
 * Parts come on the connection's read thread; {@link #unfinishedFor} may be asked from any thread.
 */
final class TextParts {

    private StringBuilder held;
    /** When the first part of the message held arrived ({@code System.nanoTime()}); 0 while none is held. */
    private volatile long heldSince;

    /**
     * @return the message to hand over (a whole message, or one already over the limit), or null while its
     *         parts are still coming; an unfragmented frame is returned as it is
     */
    String add(String part, boolean last, int limit) {
        if (held == null) {
            if (last || part.length() > limit) {
                return part;
            }
            held = new StringBuilder(part);
            heldSince = System.nanoTime() | 1;
        } else {
            held.append(part);
        }
        if (!last && held.length() <= limit) {
            return null;
        }
        String message = held.toString();
        held = null;
        heldSince = 0;
        return message;
    }

    /** @return how long the message held has been unfinished at {@code nowNanos}, in nanoseconds; 0 when none is */
    long unfinishedFor(long nowNanos) {
        long since = heldSince;
        return since == 0 ? 0 : nowNanos - since;
    }
}
