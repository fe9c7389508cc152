package io.callstream.ingress.normalize;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.events.CloudEventExtensions;
import io.callstream.events.testing.Fixtures;
import io.callstream.events.testing.Fixtures.Channel;
import io.callstream.events.testing.Fixtures.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventNormalizerTests {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static List<Fixture> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixtureKeepsItsIdTypeTimeSubjectAndData(Fixture fixture) throws Exception {
        List<NormalizedEvent> events = EventNormalizer.normalize(fixture.body(),
                fixture.channel() == Channel.EVENTGRID ? io.callstream.ingress.normalize.Channel.EVENTGRID
                        : io.callstream.ingress.normalize.Channel.CALLBACKS);

        List<JsonNode> sent = fixture.events();
        assertThat(events).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            JsonNode in = sent.get(i);
            var out = events.get(i).event();
            boolean eventGrid = in.has("eventType");
            assertThat(out.getId()).isEqualTo(in.get("id").asText());
            assertThat(out.getType()).isEqualTo(in.get(eventGrid ? "eventType" : "type").asText());
            assertThat(out.getSubject()).isEqualTo(in.path("subject").isMissingNode() ? null : in.get("subject").asText());
            String time = in.path(eventGrid ? "eventTime" : "time").asText(null);
            assertThat(out.getTime()).isEqualTo(time == null ? null : OffsetDateTime.parse(time));
            assertThat(JSON.readTree(out.getData().toBytes())).isEqualTo(JSON.readTree(in.get("data").toString()));
            assertThat(out.getExtension(CloudEventExtensions.SERVER_CALL_ID)).isEqualTo(in.get("data").path("serverCallId").textValue());
        }
    }

    @Test
    void aCallbackWithoutCallConnectionIdInDataTakesItFromItsSource() {
        byte[] body = """
                [{"id":"1","source":"calling/callConnections/abc","type":"Microsoft.Communication.PlayCompleted",
                  "specversion":"1.0","data":{"serverCallId":"s"}}]""".getBytes(StandardCharsets.UTF_8);

        NormalizedEvent event = EventNormalizer.normalize(body, io.callstream.ingress.normalize.Channel.CALLBACKS).getFirst();

        assertThat(event.event().getExtension(CloudEventExtensions.CALL_CONNECTION_ID)).isEqualTo("abc");
        assertThat(event.key()).isEqualTo("s");
    }

    @Test
    void placeholderBracesInAnEventGridTopicArePercentEncodedInTheSource() {
        assertThat(EventNormalizer.uriReference("/subscriptions/{id}/x y").toString()).isEqualTo("/subscriptions/%7Bid%7D/x%20y");
        assertThat(EventNormalizer.uriReference("100%").toString()).isEqualTo("100%25");
    }

    @Test
    void theValidationEventYieldsItsCode() {
        Fixture validation = Fixtures.get(Channel.EVENTGRID, "SubscriptionValidationEvent.eventgrid.json");

        NormalizedEvent event = EventNormalizer.normalize(validation.body(), io.callstream.ingress.normalize.Channel.EVENTGRID).getFirst();

        assertThat(event.validationCode()).isEqualTo("512d38b6-c7b8-40c8-89fe-f46f9e9622b6");
    }

    @Test
    void bodiesThatAreNotDeliveriesAreRefusedWithTheReason() {
        var channel = io.callstream.ingress.normalize.Channel.CALLBACKS;
        assertThatThrownBy(() -> EventNormalizer.normalize("{".getBytes(), channel)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> EventNormalizer.normalize("[]".getBytes(), channel)).hasMessageContaining("no events");
        assertThatThrownBy(() -> EventNormalizer.normalize("[1]".getBytes(), channel)).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> EventNormalizer.normalize("[{\"id\":\"1\"}]".getBytes(), channel)).hasMessageContaining("neither");
        assertThatThrownBy(() -> EventNormalizer.normalize("[{\"specversion\":\"1.0\",\"type\":\"t\",\"source\":\"s\"}]".getBytes(), channel))
                .hasMessageContaining("no id");
        assertThatThrownBy(() -> EventNormalizer.normalize(
                "[{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":\"t\",\"source\":\"s\",\"time\":\"yesterday\"}]".getBytes(), channel))
                .hasMessageContaining("RFC 3339");
    }
}
