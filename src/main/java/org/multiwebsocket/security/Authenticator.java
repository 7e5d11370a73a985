package org.multiwebsocket.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.multiwebsocket.protocol.Protocol;
import org.multiwebsocket.spi.Caller;
import org.multiwebsocket.spi.InvalidTokenException;
import org.multiwebsocket.spi.TokenVerifier;

import java.util.List;
import java.util.Optional;

/** Finds a bearer token in a handshake or HTTP request and has the {@link TokenVerifier} check it. */
@ApplicationScoped
public class Authenticator {

    @Inject
    TokenVerifier verifier;

    /**
     * An authenticator outside a container, for tests.
     *
     * @param verifier checks the tokens
     * @return the authenticator
     */
    public static Authenticator of(TokenVerifier verifier) {
        Authenticator authenticator = new Authenticator();
        authenticator.verifier = verifier;
        return authenticator;
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param subprotocols  the offered subprotocols (each {@code Sec-WebSocket-Protocol} value as sent)
     * @return the caller, or empty for an anonymous request
     * @throws InvalidTokenException when a token is present and refused
     */
    public Optional<Caller> authenticate(String authorization, List<String> subprotocols) throws InvalidTokenException {
        String token = token(authorization, subprotocols);
        return token == null ? Optional.empty() : Optional.of(verifier.verify(token).withBearerToken(token));
    }

    static String token(String authorization, List<String> subprotocols) throws InvalidTokenException {
        if (authorization != null && !authorization.isBlank()) {
            String[] parts = authorization.trim().split("\\s+", 2);
            if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
                throw new InvalidTokenException("the Authorization header is not 'Bearer <token>'");
            }
            return parts[1].trim();
        }
        if (subprotocols != null) {
            for (String header : subprotocols) {
                for (String entry : header.split(",")) {
                    String offered = entry.trim();
                    if (offered.startsWith(Protocol.BEARER_SUBPROTOCOL) && offered.length() > Protocol.BEARER_SUBPROTOCOL.length()) {
                        return offered.substring(Protocol.BEARER_SUBPROTOCOL.length());
                    }
                }
            }
        }
        return null;
    }
}
