package io.callstream.ingress.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.proc.JWKSecurityContext;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The JWT decoders of ingress's resource server (PROTOCOLS §1): Spring Security's
 * {@link NimbusReactiveJwtDecoder} over a JWKS URI, RS256 only, with three changes that keep
 * its checks and cut its CPU per token ({@code make bench}, README Performance):
 * <ul>
 *   <li>each JWK's public key is built once ({@link CachingKeySelector}), not once per token;</li>
 *   <li>signatures are checked with {@link SignatureProvider} (Conscrypt where it loads);</li>
 *   <li>the {@code iss} claim stays the token's string: the validators compare strings, and
 *   Spring's default conversion parsed it as a URL for every token.</li>
 * </ul>
 * The JWK set is Spring's: fetched on first use, cached, and fetched again when a token names
 * a {@code kid} it lacks. Public so that {@code make bench} measures the same decoder.
 */
public final class JwksDecoders {

    private JwksDecoders() {
    }

    /**
     * @param jwkSetUri the JWKS document, e.g. {@code https://acscallautomation.communication.azure.com/calling/keys}
     * @param webClient how to fetch it (TLS trust included)
     * @param validators the claim checks, all of which must pass
     * @return the decoder; it fails a token with a {@code JwtException} (a 401 in the resource server)
     */
    public static ReactiveJwtDecoder create(String jwkSetUri, WebClient webClient, List<OAuth2TokenValidator<Jwt>> validators) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwkSetUri)
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .webClient(webClient)
                .jwtProcessorCustomizer(processor -> {
                    SignatureProvider provider = SignatureProvider.load();
                    var jwkSource = ((JWSVerificationKeySelector<JWKSecurityContext>) processor.getJWSKeySelector()).getJWKSource();
                    processor.setJWSKeySelector(new CachingKeySelector<>(JWSAlgorithm.RS256, jwkSource, provider));
                    DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
                    verifiers.getJCAContext().setProvider(provider.provider());
                    processor.setJWSVerifierFactory(verifiers);
                })
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        decoder.setClaimSetConverter(claimSetConverter());
        return decoder;
    }

    /** A check that the {@code aud} claim contains {@code audience} (for callbacks, the ACS resource's immutable id). */
    public static OAuth2TokenValidator<Jwt> audience(String audience) {
        return new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience));
    }

    /** Spring's claim conversions, but the issuer kept as the token's string (null when the token has none). */
    static Converter<Map<String, Object>, Map<String, Object>> claimSetConverter() {
        return MappedJwtClaimSetConverter.withDefaults(Map.of(JwtClaimNames.ISS, issuer -> issuer == null ? null : issuer.toString()));
    }
}
