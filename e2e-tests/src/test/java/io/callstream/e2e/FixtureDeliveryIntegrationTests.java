package io.callstream.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import io.callstream.events.Topics;
import io.callstream.events.testing.Fixtures;
import io.callstream.events.testing.Fixtures.Channel;
import io.callstream.events.testing.Fixtures.Fixture;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every payload in {@code ../shared/fixtures}, delivered twice exactly as its real sender would
 * (through the emulator's Event Grid and callback delivery endpoints, with their authentication),
 * is accepted, appears on its topic with the same id and JSON-equal data, and is in
 * {@code call_events} once.
 */
@ExtendWith(StackExtension.class)
class FixtureDeliveryIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Comparator<JsonNode> NUMERIC = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    static List<Fixture> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void isAcceptedPublishedAndStoredOnceEvenWhenDeliveredTwice(Fixture fixture, StackClient client, LocalStack stack) throws Exception {
        for (int delivery = 0; delivery < 2; delivery++) {
            StackClient.Answer answer = fixture.channel() == Channel.EVENTGRID
                    ? client.deliverEventGrid(fixture.body()) : client.deliverCallback(fixture.body());

            assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
            if (fixture.name().startsWith("SubscriptionValidationEvent")) {
                String code = fixture.events().getFirst().path("data").path("validationCode").asText();
                assertThat(answer.json().path("validationResponse").asText()).isEqualTo(code);
            }
        }
        String topic = fixture.channel() == Channel.EVENTGRID ? Topics.ACS_EVENTGRID : Topics.ACS_CALLBACKS;
        stack.awaitConsumed();

        for (JsonNode sent : fixture.events()) {
            String id = sent.path("id").asText();
            String type = sent.has("eventType") ? sent.path("eventType").asText() : sent.path("type").asText();
            JsonNode data = JSON.readTree(sent.path("data").toString());
            ConsumerRecord<String, CloudEvent> published = Awaitility.await(fixture + " on " + topic)
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> find(client, topic, id, type, data), Optional::isPresent).orElseThrow();

            assertThat(published.value().getId()).isEqualTo(id);
            assertThat(storedRows(client, published.value().getSource().toString(), id, type)).isEqualTo(1);
        }
    }

    private static Optional<ConsumerRecord<String, CloudEvent>> find(StackClient client, String topic, String id, String type, JsonNode data) {
        return client.events().stream()
                .filter(r -> r.topic().equals(topic) && r.value() != null && r.value().getId().equals(id) && r.value().getType().equals(type))
                .filter(r -> data(r.value()).equals(NUMERIC, data))
                .findFirst();
    }

    private static JsonNode data(CloudEvent event) {
        try {
            return event.getData() == null ? JSON.nullNode() : JSON.readTree(event.getData().toBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int storedRows(StackClient client, String source, String id, String type) throws Exception {
        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement("select count(*) from call_events where source = ? and event_id = ? and event_type = ?")) {
            q.setString(1, source);
            q.setString(2, id);
            q.setString(3, type);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

}
