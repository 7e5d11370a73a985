package org.multiwebsocket.it.services;

import jakarta.inject.Inject;
import org.multiwebsocket.gateway.Gateway;
import org.multiwebsocket.service.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A call that is surely in flight when the gateway starts to drain for shutdown: it runs until the
 * gateway stops accepting, works {@code thenMs} more, then returns. It appends each step to the file
 * {@code report}, one line each: {@code started}, {@code draining}, then {@code finished} or
 * {@code interrupted}. (A file, because a server stop shuts the server's log down before the
 * application drains.)
 */
@Service(value = "/test/drain/", description = "Outlasts the start of a shutdown drain")
public class Drain {

    /** It gives up waiting for a drain after this long. */
    private static final long MAX_WAIT_MS = 120_000;

    public record Params(String report, long thenMs) {
    }

    @Inject
    Gateway gateway;

    public String call(Params params) throws InterruptedException {
        Path report = Path.of(params.report());
        append(report, "started");
        try {
            long end = System.nanoTime() + MAX_WAIT_MS * 1_000_000;
            while (gateway.isAccepting()) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("no drain began");
                }
                Thread.sleep(10);
            }
            append(report, "draining");
            Thread.sleep(params.thenMs());
        } catch (InterruptedException e) {
            append(report, "interrupted");
            throw e;
        }
        append(report, "finished");
        return "finished";
    }

    private static void append(Path report, String line) {
        try {
            Files.writeString(report, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
