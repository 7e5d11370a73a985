package org.multiwebsocket.it.inventory;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the inventory saw: requests by raw path, and slow or large answers started, completed, aborted by the client. */
final class Counters {

    static final AtomicInteger STARTED = new AtomicInteger();
    static final AtomicInteger COMPLETED = new AtomicInteger();
    static final AtomicInteger ABORTED = new AtomicInteger();
    static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();

    private Counters() {
    }

    static void request(String rawPath) {
        REQUESTS.computeIfAbsent(rawPath, key -> new AtomicInteger()).incrementAndGet();
    }

    static JsonObject json() {
        JsonObjectBuilder requests = Json.createObjectBuilder();
        new TreeMap<>(REQUESTS).forEach((path, count) -> requests.add(path, count.get()));
        int total = REQUESTS.values().stream().mapToInt(AtomicInteger::get).sum();
        return Json.createObjectBuilder().add("started", STARTED.get()).add("completed", COMPLETED.get())
                .add("aborted", ABORTED.get()).add("total", total).add("requests", requests).build();
    }
}
