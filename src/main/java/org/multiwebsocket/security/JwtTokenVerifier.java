package org.multiwebsocket.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.spi.Caller;
import org.multiwebsocket.spi.InvalidTokenException;
import org.multiwebsocket.spi.TokenVerifier;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The default {@link TokenVerifier}: signed JWTs, HS256 with a shared secret or RS256 with a public
 * key (verified by Nimbus JOSE+JWT), whose {@code exp} is required and whose {@code iss} and
 * {@code aud} must match the configuration when it names them. The caller's name is {@code upn},
 * {@code preferred_username} or {@code sub}; its roles are the {@code groups} and {@code roles}
 * claims. A {@code typ} header, when present, must name a JWT ({@code JWT}, {@code at+jwt}). With
 * neither key configured every token is refused and only anonymous connections work; with a key but no
 * issuer or audience configured, a warning is logged at startup.
 */
@ApplicationScoped
public class JwtTokenVerifier implements TokenVerifier {

    private static final Logger LOG = Logger.getLogger(JwtTokenVerifier.class.getName());
    /** {@code typ} values accepted when a token carries one (RFC 7519, RFC 9068). */
    private static final Set<String> ACCEPTED_TYPES = Set.of("jwt", "at+jwt", "application/jwt", "application/at+jwt");

    private byte[] secret;
    private RSAPublicKey publicKey;
    private DefaultJWTClaimsVerifier<?> claims;

    @PostConstruct
    void configure() {
        secret = GatewayConfig.value(GatewayConfig.JWT_HS256_SECRET).map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (secret != null && secret.length < 32) {
            throw new IllegalStateException(GatewayConfig.JWT_HS256_SECRET + " must be at least 32 bytes long");
        }
        publicKey = GatewayConfig.value(GatewayConfig.JWT_RS256_PUBLIC_KEY).map(JwtTokenVerifier::rsaKey).orElse(null);
        Optional<String> issuer = GatewayConfig.value(GatewayConfig.JWT_ISSUER);
        Optional<String> audience = GatewayConfig.value(GatewayConfig.JWT_AUDIENCE);
        if ((secret != null || publicKey != null) && (issuer.isEmpty() || audience.isEmpty())) {
            LOG.warning(() -> "JWTs are accepted without checking their " + (issuer.isEmpty() ? "issuer" : "")
                    + (issuer.isEmpty() && audience.isEmpty() ? " and " : "") + (audience.isEmpty() ? "audience" : "")
                    + ": a token the same identity provider issued for another application would be accepted. Set "
                    + GatewayConfig.JWT_ISSUER + " and " + GatewayConfig.JWT_AUDIENCE + ".");
        }
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        issuer.ifPresent(exact::issuer);
        claims = new DefaultJWTClaimsVerifier<>(audience.orElse(null), exact.build(), Set.of("exp"));
        claims.setMaxClockSkew(GatewayConfig.nonNegative(GatewayConfig.JWT_CLOCK_SKEW_SECONDS, 30));
    }

    private static RSAPublicKey rsaKey(String text) {
        String base64 = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException(GatewayConfig.JWT_RS256_PUBLIC_KEY
                    + " is not an RSA public key (PEM or base64 X.509 SubjectPublicKeyInfo)", e);
        }
    }

    @Override
    public Caller verify(String token) throws InvalidTokenException {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("not a signed JWT", e);
        }
        JOSEObjectType type = jwt.getHeader().getType();
        if (type != null && !ACCEPTED_TYPES.contains(type.getType().toLowerCase(java.util.Locale.ROOT))) {
            throw new InvalidTokenException("token type " + type + " is not a JWT access token");
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        JWSVerifier verifier;
        try {
            if (JWSAlgorithm.HS256.equals(algorithm) && secret != null) {
                verifier = new MACVerifier(secret);
            } else if (JWSAlgorithm.RS256.equals(algorithm) && publicKey != null) {
                verifier = new RSASSAVerifier(publicKey);
            } else {
                throw new InvalidTokenException("algorithm " + algorithm + " is not accepted");
            }
            if (!jwt.verify(verifier)) {
                throw new InvalidTokenException("bad signature");
            }
            JWTClaimsSet set = jwt.getJWTClaimsSet();
            claims.verify(set, null);
            String name = first(set, "upn", "preferred_username", "sub");
            if (name == null) {
                throw new InvalidTokenException("the token names no subject (upn, preferred_username or sub)");
            }
            Set<String> roles = new HashSet<>();
            roles.addAll(strings(set, "groups"));
            roles.addAll(strings(set, "roles"));
            return new Caller(new CallerPrincipal(name), roles, set.getExpirationTime().toInstant());
        } catch (JOSEException | ParseException e) {
            throw new InvalidTokenException("the token cannot be verified", e);
        } catch (BadJWTException e) {
            throw new InvalidTokenException(e.getMessage(), e);
        }
    }

    private static String first(JWTClaimsSet set, String... names) throws ParseException {
        for (String name : names) {
            String value = set.getStringClaim(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static List<String> strings(JWTClaimsSet set, String name) {
        try {
            List<String> values = set.getStringListClaim(name);
            return values == null ? List.of() : values;
        } catch (ParseException notAList) {
            return List.of();
        }
    }

    /** The caller's name as a principal. */
    record CallerPrincipal(String getName) implements java.security.Principal {
    }
}
