package org.multiwebsocket.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.multiwebsocket.gateway.Gateway;
import org.multiwebsocket.registry.ServiceRegistry;

/**
 * Ready once the service beans are registered and the gateway accepts connections; not ready while
 * it drains for shutdown. Served by MicroProfile Health at {@code /health/ready}.
 */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    @Inject
    ServiceRegistry services;
    @Inject
    Gateway gateway;

    @Override
    public HealthCheckResponse call() {
        int registered = services.listings().size();
        boolean accepting = gateway.isAccepting();
        return HealthCheckResponse.named("multiwebsocket-gateway")
                .status(registered > 0 && accepting)
                .withData("services", registered)
                .withData("accepting", accepting)
                .withData("openConnections", gateway.openConnections())
                .build();
    }
}
