package org.multiwebsocket.it.services;

import org.multiwebsocket.service.Service;

/** Answers a string of the asked size: small requests, large answers. */
@Service(value = "/test/bulk/", description = "Answers many bytes")
public class Bulk {

    public record Params(int size) {
    }

    public String call(Params params) {
        return "b".repeat(Math.max(0, Math.min(params.size(), 10_000_000)));
    }
}
