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
 * @param bearerToken the bearer token the caller presented, set by the gateway, for upstream webservices
 *                  configured to receive the caller's {@code Authorization}; never logged (not in
 *                  {@link #toString()}); null when unknown
 */
public record Caller(Principal principal, Set<String> roles, Instant expiresAt, String bearerToken) {

    public Caller {
        if (principal == null) {
            throw new IllegalArgumentException("a caller needs a principal");
        }
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** A caller as a {@link TokenVerifier} returns it; the gateway adds the token it presented. */
    public Caller(Principal principal, Set<String> roles, Instant expiresAt) {
        this(principal, roles, expiresAt, null);
    }

    /**
     * @param token the bearer token the caller presented
     * @return this caller with that token
     */
    public Caller withBearerToken(String token) {
        return new Caller(principal, roles, expiresAt, token);
    }

    @Override
    public String toString() {
        return "Caller[principal=" + principal + ", roles=" + roles + ", expiresAt=" + expiresAt + "]";
    }

    /**
     * @param role a role name
     * @return whether the caller holds it
     */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
