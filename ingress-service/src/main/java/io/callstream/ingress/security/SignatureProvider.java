package io.callstream.ingress.security;

import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;

/**
 * The JCA provider that checks callback JWT signatures: Conscrypt (BoringSSL) where its native
 * library loads (its jar carries it for Linux with glibc and macOS, x86-64 and aarch64, and for
 * Windows x86-64), otherwise the JDK's own.
 * It is used for JWT signatures only; it is not installed for the rest of the JVM (TLS, the
 * Kafka client).
 * <p>
 * Why: the RS256 check of a Call Automation token is the largest single cost of a callback.
 * Measured on the bench machine, one thread: 34 µs per verification with the JDK's
 * {@code SHA256withRSA}, 17 µs with Conscrypt and a key translated once ({@code make bench},
 * README Performance).
 */
final class SignatureProvider {

    private static final Logger log = LoggerFactory.getLogger(SignatureProvider.class);

    private final Provider provider;

    private SignatureProvider(Provider provider) {
        this.provider = provider;
    }

    /** Conscrypt when available, else the JDK's providers; logs which, once. */
    static SignatureProvider load() {
        Provider conscrypt = null;
        try {
            if (Conscrypt.isAvailable()) {
                conscrypt = Conscrypt.newProvider();
            }
        } catch (LinkageError | RuntimeException e) {
            log.debug("Conscrypt did not load", e);
        }
        log.info("Callback JWT signatures are checked with {}", conscrypt == null
                ? "the JDK's providers (Conscrypt's native library is not available here)" : "Conscrypt " + Conscrypt.version().major() + "." + Conscrypt.version().minor() + "." + Conscrypt.version().patch());
        return new SignatureProvider(conscrypt);
    }

    /** The provider for Nimbus's JCA context: null means the JDK's default providers. */
    Provider provider() {
        return provider;
    }

    /**
     * @param key a public key, as Nimbus builds it from a JWK
     * @return the same key in the provider's own form, so that each verification does not
     *     translate it again; the key itself for the JDK's providers
     * @throws GeneralSecurityException when the provider cannot take the key
     */
    PublicKey translate(PublicKey key) throws GeneralSecurityException {
        return provider == null ? key : (PublicKey) KeyFactory.getInstance(key.getAlgorithm(), provider).translateKey(key);
    }
}
