package org.multiwebsocket.session;

import java.util.function.Consumer;

/**
 * Numbering of what a session sends (PROTOCOL.md section 10): a top-level {@code "seq"} member in each
 * message, every object of a batch answer its own. The frames are the gateway's own, written by
 * {@code JsonRpc}: an object, or an array of objects.
 */
final class SeqFrames {

    private static final String RESPONSE_PREFIX = "{\"jsonrpc\":\"2.0\",\"id\":";

    private SeqFrames() {
    }

    /** @return how many messages the frame holds: 1 for an object, the number of elements for an array */
    static int count(String frame) {
        if (frame.isEmpty() || frame.charAt(0) != '[') {
            return 1;
        }
        int[] count = {0};
        elements(frame, (start, end) -> count[0]++);
        return count[0];
    }

    /**
     * @param frame the frame
     * @param first the seq of its first message
     * @param ids   receives the id (as JSON text) of every response in it
     * @return the frame with each message numbered from {@code first}
     */
    static String stamp(String frame, long first, Consumer<String> ids) {
        if (frame.isEmpty() || frame.charAt(0) != '[') {
            id(frame, 0, ids);
            return "{\"seq\":" + first + (frame.length() > 2 ? "," : "") + frame.substring(1);
        }
        StringBuilder out = new StringBuilder(frame.length() + 16).append('[');
        long[] seq = {first};
        elements(frame, (start, end) -> {
            if (seq[0] > first) {
                out.append(',');
            }
            id(frame, start, ids);
            out.append("{\"seq\":").append(seq[0]++).append(end - start > 2 ? "," : "").append(frame, start + 1, end);
        });
        return out.append(']').toString();
    }

    /** The id of the response starting at {@code start}, if it is one. */
    private static void id(String frame, int start, Consumer<String> ids) {
        if (!frame.startsWith(RESPONSE_PREFIX, start)) {
            return;
        }
        int from = start + RESPONSE_PREFIX.length();
        int end = from < frame.length() && frame.charAt(from) == '"' ? stringEnd(frame, from) : from;
        while (end < frame.length() && frame.charAt(end) != ',' && frame.charAt(end) != '}') {
            end++;
        }
        ids.accept(frame.substring(from, end));
    }

    /** @return the index just after the string literal starting at {@code quote} */
    private static int stringEnd(String text, int quote) {
        int i = quote + 1;
        while (i < text.length() && text.charAt(i) != '"') {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** Calls back with {@code [start, end)} of each top-level element of the array. */
    private static void elements(String array, Element element) {
        int depth = 0;
        int start = -1;
        for (int i = 1; i < array.length(); i++) {
            char c = array.charAt(i);
            if (c == '"') {
                i = stringEnd(array, i) - 1;
            } else if (c == '{' || c == '[') {
                if (depth++ == 0) {
                    start = i;
                }
            } else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) {
                element.at(start, i + 1);
            }
        }
    }

    private interface Element {
        void at(int start, int end);
    }
}
