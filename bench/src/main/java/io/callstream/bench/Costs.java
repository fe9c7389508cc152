package io.callstream.bench;

import com.nimbusds.jose.jwk.RSAKey;
import io.callstream.e2e.CallbackJwts;
import io.callstream.ingress.normalize.Channel;
import io.callstream.ingress.normalize.EventNormalizer;
import io.callstream.ingress.security.JwksDecoders;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The CPU that ingress's two checks of a callback cost on their own, outside any server, on one
 * thread of the bench's JVM: the JWT check (ingress's own decoder, {@link JwksDecoders}, with the
 * issuer, expiry and audience checks ingress configures, over the emulator's JWKS, which it
 * fetches once and caches as ingress does) and {@link EventNormalizer#normalize} of the callback
 * fixtures.
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
    private final URI jwkSetUri;
    private final Path emulatorCertificate;

    /**
     * @param signingKey the emulator's key, which signs the tokens
     * @param audience the ACS resource id the tokens are for
     * @param jwkSetUri the emulator's JWKS
     * @param emulatorCertificate the emulator's self-signed certificate, trusted for the JWKS fetch
     */
    Costs(RSAKey signingKey, String audience, URI jwkSetUri, Path emulatorCertificate) {
        this.signingKey = signingKey;
        this.audience = audience;
        this.jwkSetUri = jwkSetUri;
        this.emulatorCertificate = emulatorCertificate;
    }

    Measured measure(Path callbackBodies) throws IOException {
        SslContext tls = SslContextBuilder.forClient().trustManager(emulatorCertificate.toFile()).build();
        WebClient webClient = WebClient.builder().clientConnector(new ReactorClientHttpConnector(
                HttpClient.create().secure(spec -> spec.sslContext(tls)))).build();
        ReactiveJwtDecoder decoder = JwksDecoders.create(jwkSetUri.toString(), webClient,
                List.of(JwtValidators.createDefaultWithIssuer(CallbackJwts.ISSUER), JwksDecoders.audience(audience)));
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
