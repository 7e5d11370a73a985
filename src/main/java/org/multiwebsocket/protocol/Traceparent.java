package org.multiwebsocket.protocol;

import java.util.regex.Pattern;

/** W3C Trace Context: a {@code traceparent} header is kept only when it is well-formed. */
public final class Traceparent {

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private Traceparent() {
    }

    /** @return the header, trimmed, if well-formed and not the all-zero ids; null otherwise */
    public static String valid(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (!FORMAT.matcher(value).matches() || value.startsWith("ff")
                || value.substring(3, 35).equals("0".repeat(32)) || value.substring(36, 52).equals("0".repeat(16))) {
            return null;
        }
        return value;
    }
}
