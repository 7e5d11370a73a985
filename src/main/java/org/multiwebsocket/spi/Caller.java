package org.multiwebsocket.spi;

import org.multiwebsocket.service.CallContext;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

/**
 * An authenticated caller, as a {@link TokenVerifier} vouches for it.
 *
 * @param principal who the caller is; handlers see it through {@link CallContext#principal()}
 * @param roles     the roles the caller holds, matched against a service's {@code @RolesAllowed}
 * @param expiresAt when the credential stops being valid (the gateway then closes the connection
 *                  with 1008 once its calls in flight finish), or null when it does not expire
 */
public record Caller(Principal principal, Set<String> roles, Instant expiresAt) {

    public Caller {
        if (principal == null) {
            throw new IllegalArgumentException("a caller needs a principal");
        }
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /**
     * @param role a role name
     * @return whether the caller holds it
     */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
