package org.multiwebsocket.it.services;

import jakarta.inject.Inject;
import org.multiwebsocket.gateway.Gateway;
import org.multiwebsocket.service.Service;

import java.util.logging.Logger;

/**
 * A call that is surely in flight when the gateway starts to drain for shutdown: it runs until the
 * gateway stops accepting, then works {@code thenMs} more and logs that it finished, so a test can
 * read from the server's log whether the drain let it finish before closing the socket. It records
 * under {@code key} in the {@link Latch} records, so {@code test/latch/state} tells when it started.
 */
@Service(value = "/test/drain/", description = "Outlasts the start of a shutdown drain")
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class.getName());
    /** It gives up waiting for a drain after this long. */
    private static final long MAX_WAIT_MS = 120_000;

    public record Params(String key, long thenMs) {
    }

    @Inject
    Gateway gateway;

    public String call(Params params) throws InterruptedException {
        Latch.Record record = Latch.record(params.key());
        record.started.incrementAndGet();
        try {
            long end = System.nanoTime() + MAX_WAIT_MS * 1_000_000;
            while (gateway.isAccepting()) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("no drain began");
                }
                Thread.sleep(10);
            }
            Thread.sleep(params.thenMs());
        } catch (InterruptedException e) {
            record.interrupted.incrementAndGet();
            throw e;
        }
        record.finished.incrementAndGet();
        LOG.info("test/drain " + params.key() + " finished after the drain began");
        return "finished";
    }
}
