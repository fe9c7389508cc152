package io.callstream.ingress.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwksDecodersTests {

    private static final String ISSUER = "https://acscallautomation.communication.azure.com";
    private static final String AUDIENCE = "00000000-0000-0000-0000-00000000ca11";

    private static RSAKey signing;
    private static RSAKey other;

    @BeforeAll
    static void keys() throws JOSEException {
        signing = new RSAKeyGenerator(2048).keyID("k1").generate();
        other = new RSAKeyGenerator(2048).keyID("k2").generate();
    }

    @Test
    void eachJwksKeyIsBuiltOnceAndOnlyForItsKidAndRs256() throws Exception {
        var source = new ImmutableJWKSet<SecurityContext>(new JWKSet(List.of(signing.toPublicJWK(), other.toPublicJWK())));
        var selector = new CachingKeySelector<>(JWSAlgorithm.RS256, source, SignatureProvider.load());

        List<Key> first = selector.selectJWSKeys(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), null);
        List<Key> again = selector.selectJWSKeys(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), null);

        assertThat(first).hasSize(1);
        assertThat(again.getFirst()).isSameAs(first.getFirst());
        assertThat(((RSAPublicKey) first.getFirst()).getModulus()).isEqualTo(signing.toRSAPublicKey().getModulus());
        assertThat(selector.selectJWSKeys(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k3").build(), null)).isEmpty();
        assertThat(selector.selectJWSKeys(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID("k1").build(), null)).isEmpty();
    }

    @Test
    void conscryptChecksSignaturesOnTheLinuxPlatformsItShipsFor() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        SignatureProvider provider = SignatureProvider.load();
        if (os.contains("linux") && List.of("amd64", "x86_64", "aarch64").contains(arch)) {
            assertThat(provider.provider()).as("Conscrypt ships a native library for linux-%s", arch).isNotNull();
            assertThat(provider.provider().getName()).isEqualTo("Conscrypt");
        }
    }

    @Test
    void aTokenSignedByAJwksKeyPassesAndEveryBadOneFailsWithTheJwksFetchedOnce() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        ReactiveJwtDecoder decoder = decoder(fetches);

        Jwt jwt = decoder.decode(token(signing, ISSUER, AUDIENCE)).block();
        decoder.decode(token(signing, ISSUER, AUDIENCE)).block();

        assertThat(jwt.getIssuer().toString()).isEqualTo(ISSUER);
        assertThat(jwt.getClaimAsString("iss")).isEqualTo(ISSUER);
        assertThat(jwt.getAudience()).containsExactly(AUDIENCE);
        assertThat(fetches).hasValue(1);

        String valid = token(signing, ISSUER, AUDIENCE);
        String tampered = valid.substring(0, valid.lastIndexOf('.') + 1) + token(other, ISSUER, AUDIENCE).substring(valid.lastIndexOf('.') + 1);
        assertThatThrownBy(() -> decoder.decode(tampered).block()).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(token(signing, "https://elsewhere", AUDIENCE)).block()).isInstanceOf(JwtValidationException.class);
        assertThatThrownBy(() -> decoder.decode(token(signing, null, AUDIENCE)).block()).isInstanceOf(JwtValidationException.class);
        assertThatThrownBy(() -> decoder.decode(token(signing, ISSUER, "another-resource")).block()).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void aTokenForAKidNotInTheJwksFetchesItAgainAndFails() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        ReactiveJwtDecoder decoder = decoder(fetches);
        decoder.decode(token(signing, ISSUER, AUDIENCE)).block();

        RSAKey unknown = new RSAKeyGenerator(2048).keyID("k9").generate();
        assertThatThrownBy(() -> decoder.decode(token(unknown, ISSUER, AUDIENCE)).block()).isInstanceOf(JwtException.class);
        assertThat(fetches).hasValue(2);
    }

    /** A decoder whose JWKS (signing's public key) comes from a WebClient that counts its fetches. */
    private static ReactiveJwtDecoder decoder(AtomicInteger fetches) {
        String jwks = new JWKSet(signing.toPublicJWK()).toString();
        WebClient webClient = WebClient.builder().exchangeFunction(request -> {
            fetches.incrementAndGet();
            return Mono.just(ClientResponse.create(HttpStatus.OK).header("Content-Type", MediaType.APPLICATION_JSON_VALUE).body(jwks).build());
        }).build();
        return JwksDecoders.create("https://keys.example/calling/keys", webClient,
                List.of(JwtValidators.createDefaultWithIssuer(ISSUER), JwksDecoders.audience(AUDIENCE)));
    }

    private static String token(RSAKey key, String issuer, String audience) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
