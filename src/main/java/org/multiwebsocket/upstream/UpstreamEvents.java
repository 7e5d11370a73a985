package org.multiwebsocket.upstream;

/**
 * What upstream calls report, for metrics ({@link UpstreamMetrics} where the server has MicroProfile
 * Metrics, nothing otherwise). Called on the call path: cheap and thread-safe.
 */
interface UpstreamEvents {

    /** Records nothing. */
    UpstreamEvents NONE = new UpstreamEvents() {
    };

    /**
     * An upstream call ended.
     *
     * @param upstream the upstream's name
     * @param outcome  {@code ok}, the HTTP status of an error answer, or {@code timeout}, {@code unavailable},
     *                 {@code circuit-open}, {@code overloaded}, {@code too-large}, {@code cancelled}
     * @param nanos    how long it took
     */
    default void call(String upstream, String outcome, long nanos) {
    }

    /**
     * The upstream's circuit breaker exists; its state is read when metrics are collected.
     *
     * @param upstream the upstream's name
     * @param state    0 closed, 1 open, 2 half-open (or another state)
     */
    default void circuit(String upstream, java.util.function.IntSupplier state) {
    }
}
