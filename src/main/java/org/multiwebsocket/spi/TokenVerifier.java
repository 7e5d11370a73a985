package org.multiwebsocket.spi;

/**
 * Checks the bearer tokens that clients present at the WebSocket handshake ({@code Authorization:
 * Bearer …}, or the subprotocol entry {@code bearer.<token>}) and on the HTTP transport.
 *
 * <p>The gateway ships a default that verifies signed JWTs (HS256 and RS256; issuer, audience,
 * expiry) configured through MicroProfile Config. To replace it, write a CDI bean implementing this
 * interface and select it as an alternative:
 * <pre>{@code
 * @ApplicationScoped @Alternative @Priority(100)
 * public class OpaqueTokens implements TokenVerifier { ... }
 * }</pre>
 * Implementations are called concurrently, once per handshake or HTTP request, and must be
 * thread-safe.
 */
public interface TokenVerifier {

    /**
     * @param token the token as the client sent it, without the {@code Bearer } prefix
     * @return the caller the token proves
     * @throws InvalidTokenException when the token is malformed, forged, expired or not for this gateway
     */
    Caller verify(String token) throws InvalidTokenException;
}
