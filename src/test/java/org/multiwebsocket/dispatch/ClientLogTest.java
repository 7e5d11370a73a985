package org.multiwebsocket.dispatch;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientLogTest {

    @Test
    void aFloodOfClientProvokedLinesIsCutToTheRate() {
        String name = "client-log-test-" + System.nanoTime();
        List<String> lines = new ArrayList<>();
        Logger logger = Logger.getLogger(name);
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        ClientLog log = new ClientLog(name, 5);
        long second = System.nanoTime() / 1_000_000_000L;
        int sent = 0;
        while (System.nanoTime() / 1_000_000_000L == second && sent < 1_000) {
            log.log(Level.INFO, () -> "refused");
            sent++;
        }
        assertTrue(lines.size() <= 10, lines.size() + " of " + sent + " lines written");
    }

    @Test
    void valuesFromRequestsAreClippedAndControlCharactersReplaced() {
        assertEquals(81, ClientLog.clip("x".repeat(10_000)).length());
        assertEquals("a?b", ClientLog.clip("a\nb"));
        assertEquals("(none)", ClientLog.clip(null));
    }
}
