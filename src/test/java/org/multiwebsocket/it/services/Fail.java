package org.multiwebsocket.it.services;

import org.multiwebsocket.service.Service;
import org.multiwebsocket.service.ServiceException;

import java.util.Map;

/** Fails on purpose with an application error, synchronously or through its stage. */
@Service(value = "/test/fail/", description = "Fails on purpose")
public class Fail {

    public record Params(boolean async) {
    }

    public Object call(Params params) {
        ServiceException failure = new ServiceException(404, "no such thing", Map.of("thing", "unicorn"));
        if (params != null && params.async()) {
            return java.util.concurrent.CompletableFuture.failedFuture(failure);
        }
        throw failure;
    }
}
