package org.multiwebsocket.it.services;

import org.multiwebsocket.service.Service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Answers asynchronously after {@code ms}; with {@code never} its stage never completes. */
@Service(value = "/test/later/", description = "Answers through a CompletionStage")
public class Later {

    public record Params(long ms, boolean never, String value) {
    }

    public CompletionStage<String> call(Params params) {
        if (params.never()) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.supplyAsync(params::value,
                CompletableFuture.delayedExecutor(params.ms(), TimeUnit.MILLISECONDS));
    }
}
