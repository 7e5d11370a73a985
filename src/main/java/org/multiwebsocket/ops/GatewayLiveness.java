package org.multiwebsocket.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.multiwebsocket.dispatch.Workers;

/** Alive while the threads that run calls and deadlines are running. Served at {@code /health/live}. */
@Liveness
@ApplicationScoped
public class GatewayLiveness implements HealthCheck {

    @Inject
    Workers workers;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("multiwebsocket-workers")
                .status(workers.isRunning())
                .withData("callsQueued", workers.queued())
                .build();
    }
}
