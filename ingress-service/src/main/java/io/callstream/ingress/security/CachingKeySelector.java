package io.callstream.ingress.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Nimbus's {@link JWSVerificationKeySelector} (the one Spring Security's JWKS decoder uses),
 * except that each JWK's Java public key is built once, in the form of the
 * {@link SignatureProvider} that checks the signatures, and kept while that JWK is, instead of
 * built once per token. The JWKs still come from the decoder's cached JWK set, refetched by Spring
 * Security when a token names an unknown {@code kid}; a JWK that is no longer in the set is
 * dropped from this cache when it is collected.
 * <p>
 * Building an {@code RSAPublicKey} from a JWK decodes its modulus and DER-encodes the key:
 * 3–4% of ingress's CPU per callback under load ({@code make bench}, README Performance), for a
 * result that only changes when Call Automation rotates its keys.
 *
 * @param <C> the security context type
 */
final class CachingKeySelector<C extends SecurityContext> extends JWSVerificationKeySelector<C> {

    private final Map<JWK, List<Key>> keys = Collections.synchronizedMap(new WeakHashMap<>());
    private final SignatureProvider provider;

    /**
     * @param algorithm the one accepted JWS algorithm (RS256 for Call Automation)
     * @param source where the JWKs come from
     * @param provider the provider the keys are for
     */
    CachingKeySelector(JWSAlgorithm algorithm, JWKSource<C> source, SignatureProvider provider) {
        super(algorithm, source);
        this.provider = provider;
    }

    /**
     * @return the public keys of the JWKs that match the header, as {@link JWSVerificationKeySelector} selects them;
     *     none for another algorithm
     * @throws KeySourceException when the JWK source fails, or the provider cannot take a JWK's key
     */
    @Override
    public List<Key> selectJWSKeys(JWSHeader header, C context) throws KeySourceException {
        if (!isAllowed(header.getAlgorithm())) {
            return List.of();
        }
        JWKMatcher matcher = createJWKMatcher(header);
        if (matcher == null) {
            return List.of();
        }
        List<Key> selected = new ArrayList<>();
        for (JWK jwk : getJWKSource().get(new JWKSelector(matcher), context)) {
            List<Key> cached = keys.get(jwk);
            if (cached == null) {
                cached = publicKeys(jwk);
                keys.put(jwk, cached);
            }
            selected.addAll(cached);
        }
        return selected;
    }

    private List<Key> publicKeys(JWK jwk) throws KeySourceException {
        List<Key> translated = new ArrayList<>();
        for (Key key : KeyConverter.toJavaKeys(List.of(jwk))) {
            if (key instanceof PublicKey publicKey) {
                try {
                    translated.add(provider.translate(publicKey));
                } catch (GeneralSecurityException e) {
                    throw new KeySourceException("The JWK " + jwk.getKeyID() + " cannot be used for verification: " + e.getMessage(), e);
                }
            }
        }
        return List.copyOf(translated);
    }
}
