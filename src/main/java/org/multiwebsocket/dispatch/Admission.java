package org.multiwebsocket.dispatch;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this node takes new calls and connections. It stops when the application starts to shut
 * down: from then on new calls are answered -32006 and new connections are refused, while calls in
 * flight go on for the grace period.
 */
@ApplicationScoped
public class Admission {

    private volatile boolean draining;

    /** From now on the node refuses new calls and connections. */
    public void drain() {
        draining = true;
    }

    /** @return whether the node refuses new calls because it is shutting down */
    public boolean isDraining() {
        return draining;
    }
}
