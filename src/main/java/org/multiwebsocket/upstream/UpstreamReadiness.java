package org.multiwebsocket.upstream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

/**
 * Which upstream webservices are published, at {@code /health/ready} beside the gateway's own check. An
 * upstream whose document has not loaded is listed under {@code missing}; readiness is DOWN only while an
 * upstream configured as {@code required} is missing (an optional one does not make the gateway unready:
 * its other services work).
 */
@Readiness
@ApplicationScoped
public class UpstreamReadiness implements HealthCheck {

    @Inject
    Upstreams upstreams;

    @Override
    public HealthCheckResponse call() {
        List<Upstreams.Status> status = upstreams.status();
        List<String> missing = status.stream().filter(s -> !s.loaded()).map(Upstreams.Status::name).toList();
        boolean up = status.stream().noneMatch(s -> s.required() && !s.loaded());
        HealthCheckResponseBuilder response = HealthCheckResponse.named("multiwebsocket-upstreams").status(up)
                .withData("upstreams", status.size())
                .withData("missing", String.join(",", missing));
        for (Upstreams.Status upstream : status) {
            response.withData(upstream.name(), upstream.loaded()
                    ? upstream.operations() + " operation(s), circuit " + upstream.circuit().toLowerCase(java.util.Locale.ROOT)
                    + (upstream.problem() == null ? "" : "; " + upstream.problem())
                    : "missing" + (upstream.required() ? " (required)" : "") + ": " + upstream.problem());
        }
        return response.build();
    }
}
