package org.multiwebsocket.client;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** A refusal that says when to come back: discovery or the handshake answered 503 (or 429), with its {@code Retry-After}. */
final class RetryLater extends IOException {

    private static final long serialVersionUID = 1L;

    /** The wait the server asked for; 0 when it named none. */
    final long retryAfterMs;

    RetryLater(String message, long retryAfterMs, Throwable cause) {
        super(message + (retryAfterMs > 0 ? " (Retry-After " + retryAfterMs + " ms)" : ""), cause);
        this.retryAfterMs = retryAfterMs;
    }

    /** @return the wait a {@code Retry-After} value asks for (seconds, or an HTTP date), in ms; 0 when absent or unreadable */
    static long millis(String retryAfter) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(retryAfter.trim()) * 1_000);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
            } catch (DateTimeParseException unreadable) {
                return 0;
            }
        }
    }
}
