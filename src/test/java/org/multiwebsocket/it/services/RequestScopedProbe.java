package org.multiwebsocket.it.services;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;

import java.util.concurrent.atomic.AtomicInteger;

/** A request-scoped bean that records whether its request context was torn down on an interrupted thread. */
@RequestScoped
public class RequestScopedProbe {

    static final AtomicInteger DESTROYED = new AtomicInteger();
    static final AtomicInteger DESTROYED_INTERRUPTED = new AtomicInteger();

    public String touch() {
        return "touched";
    }

    @PreDestroy
    void destroyed() {
        DESTROYED.incrementAndGet();
        if (Thread.currentThread().isInterrupted()) {
            DESTROYED_INTERRUPTED.incrementAndGet();
        }
    }
}
