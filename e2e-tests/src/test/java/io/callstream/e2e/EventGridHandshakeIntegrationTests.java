package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Event Grid webhook's handshakes and its second way of carrying the shared secret. */
@ExtendWith(StackExtension.class)
class EventGridHandshakeIntegrationTests {

    @Test
    void theCloudEventsAbuseProtectionHandshakeEchoesTheOrigin(LocalStack stack, StackClient client) {
        StackClient.Answer consent = client.send(HttpRequest.newBuilder(stack.ingressUrl().resolve("/api/eventgrid")).timeout(StackClient.timeout)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("WebHook-Request-Origin", "eventgrid.azure.net").header("WebHook-Request-Rate", "120").build());
        StackClient.Answer noOrigin = client.send(HttpRequest.newBuilder(stack.ingressUrl().resolve("/api/eventgrid")).timeout(StackClient.timeout)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.headers().get("webhook-allowed-origin")).isEqualTo(List.of("eventgrid.azure.net"));
        assertThat(consent.headers().get("webhook-allowed-rate")).isEqualTo(List.of("120"));
        assertThat(consent.headers().get("allow")).anyMatch(v -> v.contains("POST"));
        assertThat(noOrigin.status()).isEqualTo(400);
    }

    @Test
    void theSecretMayComeInTheHeaderInsteadOfTheQuery(LocalStack stack, StackClient client) {
        String body = "[{\"id\":\"" + UUID.randomUUID() + "\",\"topic\":\"/t\",\"subject\":\"s\",\"eventType\":\"Microsoft.Communication.CallEnded\","
                + "\"eventTime\":\"2026-01-01T00:00:00Z\",\"data\":{\"serverCallId\":\"h\"},\"dataVersion\":\"1.0\"}]";

        StackClient.Answer withHeader = client.send(HttpRequest.newBuilder(stack.ingressUrl().resolve("/api/eventgrid")).timeout(StackClient.timeout)
                .header("Content-Type", "application/json").header("X-Callstream-Secret", stack.eventGridSecret())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        StackClient.Answer wrongHeader = client.send(HttpRequest.newBuilder(stack.ingressUrl().resolve("/api/eventgrid")).timeout(StackClient.timeout)
                .header("Content-Type", "application/json").header("X-Callstream-Secret", "nope")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(withHeader.status()).isEqualTo(200);
        assertThat(wrongHeader.status()).isEqualTo(401);
    }
}
