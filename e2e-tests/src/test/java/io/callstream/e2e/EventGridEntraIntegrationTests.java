package io.callstream.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event Grid authenticated by a Microsoft Entra token (PROTOCOLS §2, option 1): signature against
 * the tenant's keys, issuer, audience, and the AzureEventGridSecureWebhookSubscriber app role.
 * The tenant's JWKS is served by a local HTTP server holding a key this test generates.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventGridEntraIntegrationTests {

    private static final String ISSUER = "https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/v2.0";
    private static final String AUDIENCE = "api://callstream-ingress";
    private static final String ROLE = "AzureEventGridSecureWebhookSubscriber";

    private RSAKey tenantKey;
    private HttpServer jwks;
    private URI eventGrid;

    @BeforeAll
    void startIngressInEntraMode(LocalStack stack) throws Exception {
        tenantKey = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] keys = new JWKSet(tenantKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/keys", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keys.length);
            exchange.getResponseBody().write(keys);
            exchange.close();
        });
        jwks.start();
        URI ingress = stack.ingress(stack.kafkaBootstrap(), LocalStack.freePort(),
                "--callstream.ingress.event-grid.auth=entra",
                "--callstream.ingress.event-grid.entra.jwk-set-uri=http://127.0.0.1:" + jwks.getAddress().getPort() + "/keys",
                "--callstream.ingress.event-grid.entra.issuer=" + ISSUER,
                "--callstream.ingress.event-grid.entra.audience=" + AUDIENCE);
        eventGrid = ingress.resolve("/api/eventgrid");
    }

    @AfterAll
    void stopJwks() {
        jwks.stop(0);
    }

    @Test
    void aTenantTokenWithTheRoleIsAcceptedAndAnyOtherIsA401(StackClient client) throws Exception {
        Instant later = Instant.now().plus(Duration.ofMinutes(5));

        assertThat(deliver(client, token(tenantKey, ISSUER, AUDIENCE, List.of(ROLE), later))).isEqualTo(200);
        assertThat(deliver(client, null)).isEqualTo(401);
        assertThat(deliver(client, token(tenantKey, ISSUER, AUDIENCE, List.of(), later))).isEqualTo(401);
        assertThat(deliver(client, token(tenantKey, ISSUER, "api://someone-else", List.of(ROLE), later))).isEqualTo(401);
        assertThat(deliver(client, token(tenantKey, "https://login.microsoftonline.com/other/v2.0", AUDIENCE, List.of(ROLE), later))).isEqualTo(401);
        assertThat(deliver(client, token(tenantKey, ISSUER, AUDIENCE, List.of(ROLE), Instant.now().minus(Duration.ofMinutes(10))))).isEqualTo(401);
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(tenantKey.getKeyID()).generate();
        assertThat(deliver(client, token(stranger, ISSUER, AUDIENCE, List.of(ROLE), later))).isEqualTo(401);
        // The shared secret is not accepted in Entra mode.
        assertThat(client.send(request(URI.create(eventGrid + "?secret=" + UUID.randomUUID()), null).build()).status()).isEqualTo(401);
    }

    private int deliver(StackClient client, String token) {
        return client.send(request(eventGrid, token).build()).status();
    }

    private static HttpRequest.Builder request(URI uri, String token) {
        String body = "[{\"id\":\"" + UUID.randomUUID() + "\",\"topic\":\"/t\",\"subject\":\"s\",\"eventType\":\"Microsoft.Communication.CallStarted\","
                + "\"eventTime\":\"2026-01-01T00:00:00Z\",\"data\":{\"serverCallId\":\"" + UUID.randomUUID() + "\"},\"dataVersion\":\"1.0\"}]";
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(StackClient.timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private static String token(RSAKey key, String issuer, String audience, List<String> roles, Instant expires) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).claim("roles", roles)
                .issueTime(Date.from(expires.minus(Duration.ofMinutes(5)))).expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
