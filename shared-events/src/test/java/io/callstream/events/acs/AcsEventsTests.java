package io.callstream.events.acs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.events.acs.AcsEvent.*;
import io.callstream.events.testing.Fixtures;
import io.callstream.events.testing.Fixtures.Channel;
import io.callstream.events.testing.Fixtures.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AcsEventsTests {

    static List<Fixture> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixtureMapsToATypedRecordWithTheIdsOfItsData(Fixture fixture) {
        for (JsonNode event : fixture.events()) {
            String type = event.has("eventType") ? event.get("eventType").asText() : event.get("type").asText();
            AcsEvent parsed = AcsEvents.fromData(type, event.get("data"));

            // TranscriptionFailed.json carries the misspelt type of its source; it must still flow, as unknown.
            if (AcsEvents.TYPES.contains(type)) {
                assertThat(parsed).as(type).isNotInstanceOf(UnknownEvent.class);
            } else {
                assertThat(parsed).isInstanceOf(UnknownEvent.class);
            }
            JsonNode data = event.get("data");
            if (!(parsed instanceof SubscriptionValidation)) {
                assertThat(parsed.ids().serverCallId()).isEqualTo(data.path("serverCallId").textValue());
                assertThat(parsed.ids().correlationId()).isEqualTo(data.path("correlationId").textValue());
                assertThat(parsed.ids().callConnectionId()).isEqualTo(data.path("callConnectionId").textValue());
            }
        }
    }

    @Test
    void participantsUpdatedCarriesTheFullListAndItsSequenceNumber() {
        JsonNode event = Fixtures.get(Channel.CALLBACKS, "ParticipantsUpdated.json").events().getFirst();

        ParticipantsUpdated updated = (ParticipantsUpdated) AcsEvents.fromData(event.get("type").asText(), event.get("data"));

        assertThat(updated.sequenceNumber()).isEqualTo(1);
        assertThat(updated.participants()).hasSize(2)
                .allSatisfy(p -> assertThat(p.identifier().kind()).isEqualTo("communicationUser"));
        assertThat(updated.resultInformation()).isEqualTo(new ResultInformation(200, 0, ""));
    }

    @Test
    void callDisconnectedKeepsItsResultInformation() {
        JsonNode event = Fixtures.get(Channel.CALLBACKS, "CallDisconnected.json").events().getFirst();

        CallDisconnected disconnected = (CallDisconnected) AcsEvents.fromData(event.get("type").asText(), event.get("data"));

        assertThat(disconnected.resultInformation().code()).isEqualTo(200);
        assertThat(disconnected.resultInformation().subCode()).isEqualTo(7000);
    }

    @Test
    void incomingCallCarriesItsContextAndBothParties() {
        JsonNode event = Fixtures.get(Channel.EVENTGRID, "IncomingCall.eventgrid.json").events().getFirst();

        IncomingCall call = (IncomingCall) AcsEvents.fromData(event.get("eventType").asText(), event.get("data"));

        assertThat(call.incomingCallContext()).isNotBlank();
        assertThat(call.from().rawId()).isNotBlank();
        assertThat(call.to().rawId()).isNotBlank();
        assertThat(call.ids().callConnectionId()).isNull();
    }

    @Test
    void eventGridIdentifierWrappersAreUnwrappedInEitherSpelling() throws Exception {
        ObjectMapper json = new ObjectMapper();

        Identifier upper = AcsEvents.identifier(json.readTree(
                "{\"communicationIdentifier\":{\"rawId\":\"8:acs:a_b\",\"communicationUser\":{\"id\":\"8:acs:a_b\"}},\"role\":\"x\"}"));
        Identifier lower = AcsEvents.identifier(json.readTree(
                "{\"communicationidentifier\":{\"kind\":\"phoneNumber\",\"phoneNumber\":{\"value\":\"+14255550123\"}}}"));

        assertThat(upper).isEqualTo(new Identifier("8:acs:a_b", "communicationUser"));
        assertThat(lower).isEqualTo(new Identifier("4:+14255550123", "phoneNumber"));
    }

    @Test
    void aTypeNotListedBecomesAnUnknownEventWithItsIds() throws Exception {
        JsonNode data = new ObjectMapper().readTree("{\"serverCallId\":\"s\",\"correlationId\":\"c\"}");

        AcsEvent event = AcsEvents.fromData("Microsoft.Communication.SomethingNew", data);

        assertThat(event).isEqualTo(new UnknownEvent(new CallIds(null, "s", "c")));
    }
}
