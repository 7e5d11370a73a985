package org.multiwebsocket.it.services;

import org.multiwebsocket.service.Service;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Tells the tests what happened inside the server: how many handlers were interrupted. */
@Service(value = "test/probe", description = "Counters for the tests")
public class Probe {

    static final AtomicInteger INTERRUPTED = new AtomicInteger();

    public Map<String, Integer> call() {
        return Map.of("interrupted", INTERRUPTED.get());
    }
}
