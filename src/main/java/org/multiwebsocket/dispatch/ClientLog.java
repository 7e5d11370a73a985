package org.multiwebsocket.dispatch;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A log for lines that clients provoke at will (refused calls and handshakes, closed connections): at
 * most {@code perSecond} lines a second, then one line saying how many were left out, so a hostile
 * client cannot flood the log. Values taken from requests are {@linkplain #clip clipped}.
 */
public final class ClientLog {

    private static final int MAX_VALUE_CHARS = 80;

    private final Logger logger;
    private final int perSecond;
    private final AtomicLong second = new AtomicLong();
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger suppressed = new AtomicInteger();

    /**
     * @param name      the logger's name
     * @param perSecond lines written a second at the most
     */
    public ClientLog(String name, int perSecond) {
        this.logger = Logger.getLogger(name);
        this.perSecond = perSecond;
    }

    /**
     * @param level the level
     * @param line  the line, built only when it is written
     */
    public void log(Level level, Supplier<String> line) {
        if (!logger.isLoggable(level)) {
            return;
        }
        long now = System.nanoTime() / 1_000_000_000L;
        long current = second.get();
        if (now != current && second.compareAndSet(current, now)) {
            written.set(0);
            int left = suppressed.getAndSet(0);
            if (left > 0) {
                logger.log(level, left + " similar line(s) left out in the last second(s)");
            }
        }
        if (written.incrementAndGet() > perSecond) {
            suppressed.incrementAndGet();
            return;
        }
        logger.log(level, line.get());
    }

    /**
     * @param value a value a client chose (an id, a header)
     * @return it fit for a log line: at most 80 characters, control characters replaced
     */
    public static String clip(Object value) {
        if (value == null) {
            return "(none)";
        }
        String text = String.valueOf(value);
        String cut = text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
