package org.multiwebsocket.it.services;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.multiwebsocket.service.Service;

import java.util.concurrent.atomic.AtomicInteger;

/** A handler that injects a request-scoped bean: a request context is active during every call. */
@Service(value = "/test/scoped/", description = "Uses a request-scoped bean")
public class Scoped {

    @Inject
    PerCall perCall;

    public int call() {
        return perCall.number();
    }

    /** One instance per call. */
    @RequestScoped
    public static class PerCall {
        private static final AtomicInteger COUNTER = new AtomicInteger();
        private final int number = COUNTER.incrementAndGet();

        public int number() {
            return number;
        }
    }
}
