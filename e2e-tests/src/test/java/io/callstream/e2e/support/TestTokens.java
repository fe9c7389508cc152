package io.callstream.e2e.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.callstream.e2e.CallbackJwts;
import io.callstream.emulator.system.LocalCredentials;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Callback JWTs for tests: valid ones signed with the emulator's key, and each kind of bad one. */
public final class TestTokens {

    private final RSAKey emulatorKey;

    public TestTokens(Path emulatorDir) {
        this.emulatorKey = LocalCredentials.signingKey(emulatorDir);
    }

    /** A token as Call Automation would send it. */
    public String valid() {
        return sign(emulatorKey, LocalStack.RESOURCE_ID, Instant.now().plus(Duration.ofMinutes(5)));
    }

    /** Expired ten minutes ago (beyond the validator's clock skew). */
    public String expired() {
        return sign(emulatorKey, LocalStack.RESOURCE_ID, Instant.now().minus(Duration.ofMinutes(10)));
    }

    /** For another ACS resource. */
    public String wrongAudience() {
        return sign(emulatorKey, "99999999-0000-0000-0000-000000000000", Instant.now().plus(Duration.ofMinutes(5)));
    }

    /** Same key id, signed with a key that is not in the JWKS. */
    public String wrongSignature() {
        try {
            RSAKey other = new RSAKeyGenerator(2048).keyID(emulatorKey.getKeyID()).generate();
            return sign(other, LocalStack.RESOURCE_ID, Instant.now().plus(Duration.ofMinutes(5)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(RSAKey key, String audience, Instant expires) {
        return CallbackJwts.sign(key, audience, expires);
    }
}
