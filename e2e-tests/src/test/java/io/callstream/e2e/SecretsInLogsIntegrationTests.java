package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import io.callstream.e2e.support.TestTokens;
import io.callstream.emulator.system.LocalCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets and tokens never reach the logs: not the Event Grid secret (accepted or refused), not
 * the ACS access key the HMAC signatures use, not a callback JWT (valid, expired or forged),
 * while a call runs through all three services and every kind of request is refused once.
 */
@ExtendWith({StackExtension.class, OutputCaptureExtension.class})
class SecretsInLogsIntegrationTests {

    @Test
    void noSecretOrTokenIsLogged(StackClient client, LocalStack stack, CapturedOutput output) throws Exception {
        new CallScenarios(client).inboundAnsweredThenHungUp("+14255550165");
        TestTokens tokens = new TestTokens(stack.emulatorDir());
        String valid = tokens.valid();
        String expired = tokens.expired();
        String forged = tokens.wrongSignature();
        String wrongSecret = "wrong-" + UUID.randomUUID();

        assertThat(post(client, stack.ingressUrl() + "/api/eventgrid?secret=" + wrongSecret, null, "[]").status()).isEqualTo(401);
        assertThat(client.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/api/eventgrid")).timeout(StackClient.timeout)
                .header("Content-Type", "application/json").header("X-Callstream-Secret", wrongSecret)
                .POST(HttpRequest.BodyPublishers.ofString("[]")).build()).status()).isEqualTo(401);
        assertThat(post(client, stack.ingressUrl() + "/api/eventgrid?secret=" + stack.eventGridSecret(), null, "{not json").status())
                .isEqualTo(400);
        assertThat(post(client, stack.ingressUrl() + "/api/callbacks", expired, "[]").status()).isEqualTo(401);
        assertThat(post(client, stack.ingressUrl() + "/api/callbacks", forged, "[]").status()).isEqualTo(401);
        assertThat(post(client, stack.ingressUrl() + "/api/callbacks", valid, "{not json").status()).isEqualTo(400);

        // The capture holds the services' logs (so the checks below can fail) …
        assertThat(output.getAll()).contains("accepted by ACS");
        // … and none of their secrets.
        for (String secret : List.of(stack.eventGridSecret(), wrongSecret, LocalCredentials.accessKey(stack.emulatorDir()),
                valid, expired, forged, signature(valid), signature(forged))) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
        assertThat(output.getAll()).doesNotContainIgnoringCase("secret=").doesNotContain("Bearer ey");
    }

    private static String signature(String jwt) {
        return jwt.substring(jwt.lastIndexOf('.') + 1);
    }

    private static StackClient.Answer post(StackClient client, String url, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(StackClient.timeout)
                .header("Content-Type", "application/json").header("aeg-event-type", "Notification")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build());
    }
}
