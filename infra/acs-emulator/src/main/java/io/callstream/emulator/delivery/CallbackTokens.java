package io.callstream.emulator.delivery;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.callstream.emulator.system.EmulatorProperties;
import io.callstream.emulator.system.LocalCredentials;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs the bearer JWT that goes with every callback, as Call Automation does (PROTOCOLS §1):
 * RS256, a fresh token per delivery, valid for 5 minutes, {@code iss} and {@code aud} from the
 * configuration, {@code kid} naming the key published at {@code /calling/keys}.
 */
@Component
public class CallbackTokens {

    /** A callback token's lifetime. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private volatile RSAKey key;
    private volatile RSAKey previous;
    private final EmulatorProperties properties;

    CallbackTokens(EmulatorProperties properties) {
        this.properties = properties;
        this.key = LocalCredentials.signingKey(properties.dataDir());
    }

    /**
     * Signs with a new key from now on. The JWKS publishes the new key and the one before it, as
     * a signing-key rotation does, so receivers that refetch the JWKS on an unknown {@code kid}
     * keep accepting callbacks. The new key lives in memory only; a restart goes back to the
     * data folder's key.
     *
     * @return the new key's id
     */
    public synchronized String rotate() {
        try {
            RSAKey next = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            previous = key;
            key = next;
            return next.getKeyID();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    /** A new signed token for one delivery. */
    public String mint() {
        RSAKey key = this.key;
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(properties.issuer())
                .audience(properties.audience())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a callback token", e);
        }
        return jwt.serialize();
    }

    /** The public signing keys as a JWK Set document: the current key, and the previous one after a rotation. */
    public Map<String, Object> jwks() {
        RSAKey old = previous;
        return (old == null ? new JWKSet(key.toPublicJWK()) : new JWKSet(List.of(key.toPublicJWK(), old.toPublicJWK()))).toJSONObject();
    }
}
