package io.callstream.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Callback JWTs as Call Automation signs them (PROTOCOLS §1): RS256 with the key's id in the
 * header, issuer {@code https://acscallautomation.communication.azure.com}, the ACS resource id
 * as audience, issued five minutes before they expire. For tests and {@code make bench}, with the
 * emulator's key or another.
 */
public final class CallbackJwts {

    /** The issuer of Call Automation's callback JWTs. */
    public static final String ISSUER = "https://acscallautomation.communication.azure.com";

    private CallbackJwts() {
    }

    /**
     * @param key the RSA signing key (its key id goes in the header)
     * @param audience the ACS resource's immutable resource id
     * @param expires the {@code exp} claim
     * @return the compact serialization
     */
    public static String sign(RSAKey key, String audience, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(audience)
                .issueTime(Date.from(expires.minus(Duration.ofMinutes(5))))
                .expirationTime(Date.from(expires))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
