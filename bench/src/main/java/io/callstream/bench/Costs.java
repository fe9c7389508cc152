package io.callstream.bench;

import com.nimbusds.jose.jwk.RSAKey;
import io.callstream.e2e.CallbackJwts;
import io.callstream.ingress.normalize.Channel;
import io.callstream.ingress.normalize.EventNormalizer;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The CPU that ingress's two checks of a callback cost on their own, outside any server, on one
 * thread of the bench's JVM: the JWT check (Spring Security's {@code NimbusReactiveJwtDecoder}
 * with RS256 and the issuer, expiry and audience checks, as ingress configures it; the key is
 * given, as ingress has it cached) and {@link EventNormalizer#normalize} of the callback fixtures.
 * Each is run {@value #ROUNDS} times to warm up and {@value #ROUNDS} times measured, with the
 * thread's CPU time.
 */
final class Costs {

    /** Microseconds of CPU per callback. */
    record Measured(double jwtMicros, double normalizeMicros) {
    }

    private static final int ROUNDS = 20_000;
    private static final int TOKENS = 64;

    private final RSAKey signingKey;
    private final String audience;

    Costs(RSAKey signingKey, String audience) {
        this.signingKey = signingKey;
        this.audience = audience;
    }

    Measured measure(Path callbackBodies) throws IOException {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(jwt -> Flux.just(signingKey.toPublicJWK()))
                .jwsAlgorithm(SignatureAlgorithm.RS256).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(CallbackJwts.ISSUER),
                new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience))));
        // Call Automation mints a token per event: distinct tokens, so that nothing could be reused.
        List<String> tokens = IntStream.range(0, TOKENS)
                .mapToObj(i -> CallbackJwts.sign(signingKey, audience, Instant.now().plus(Duration.ofMinutes(5)).plusSeconds(i))).toList();
        double jwt = perCall(i -> decoder.decode(tokens.get(i % TOKENS)).block());
        List<byte[]> bodies = Files.readAllLines(callbackBodies).stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
        double normalize = perCall(i -> EventNormalizer.normalize(bodies.get(i % bodies.size()), Channel.CALLBACKS));
        return new Measured(jwt, normalize);
    }

    private static double perCall(java.util.function.IntFunction<Object> call) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < ROUNDS; i++) {
            call.apply(i);
        }
        long before = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < ROUNDS; i++) {
            call.apply(i);
        }
        return (threads.getCurrentThreadCpuTime() - before) / 1e3 / ROUNDS;
    }
}
