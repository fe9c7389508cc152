package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With its Kafka broker stopped, ingress answers 503 (within 10 s, so Event Grid's 30 s wait
 * never expires) and never 2xx: the sender keeps the event and retries.
 */
@ExtendWith(StackExtension.class)
class KafkaUnavailableIntegrationTests {

    @Test
    void ingressAnswers503NeverTwoHundredWhenItsBrokerIsStopped(LocalStack stack, StackClient client) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        URI ingress = stack.ingress(broker.getBrokersAsString(), LocalStack.freePort());
        URI eventGrid = URI.create(ingress + "/api/eventgrid?secret=" + stack.eventGridSecret());

        StackClient.Answer before = client.send(post(eventGrid));
        broker.destroy();
        Instant start = Instant.now();
        StackClient.Answer during = client.send(post(eventGrid));
        Duration took = Duration.between(start, Instant.now());

        assertThat(before.status()).isEqualTo(200);
        assertThat(during.status()).isEqualTo(503);
        assertThat(during.headers().get("content-type")).anyMatch(v -> v.startsWith("application/problem+json"));
        assertThat(during.headers()).containsKey("retry-after");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    private static HttpRequest post(URI uri) {
        String body = "[{\"id\":\"" + UUID.randomUUID() + "\",\"topic\":\"/t\",\"subject\":\"s\",\"eventType\":\"Microsoft.Communication.CallStarted\","
                + "\"eventTime\":\"2026-01-01T00:00:00Z\",\"data\":{\"serverCallId\":\"" + UUID.randomUUID() + "\"},\"dataVersion\":\"1.0\"}]";
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
