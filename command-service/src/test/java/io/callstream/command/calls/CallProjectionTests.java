package io.callstream.command.calls;

import com.fasterxml.jackson.databind.JsonNode;
import io.callstream.events.acs.AcsEvent;
import io.callstream.events.acs.AcsEvent.CallConnectionEvent;
import io.callstream.events.acs.AcsEvent.CallConnected;
import io.callstream.events.acs.AcsEvent.CallDisconnected;
import io.callstream.events.acs.AcsEvent.CreateCallFailed;
import io.callstream.events.acs.AcsEvent.ParticipantsUpdated;
import io.callstream.events.acs.AcsEvents;
import io.callstream.events.acs.CallIds;
import io.callstream.events.acs.CallParticipant;
import io.callstream.events.acs.Identifier;
import io.callstream.events.acs.ResultInformation;
import io.callstream.events.testing.Fixtures;
import io.callstream.events.testing.Fixtures.Channel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The call and participant folds, over the real fixtures and no Spring context. */
class CallProjectionTests {

    private static final Instant T0 = Instant.parse("2025-06-16T18:38:11Z");

    private static AcsEvent fixture(String name) {
        JsonNode event = Fixtures.get(Channel.CALLBACKS, name).events().getFirst();
        return AcsEvents.fromData(event.get("type").asText(), event.get("data"));
    }

    @Test
    void theRecordedCallConnectedThenCallDisconnectedEndsTheLegWithItsResult() {
        CallState connected = CallProjection.evolve(CallState.initial("leg"), (CallConnectionEvent) fixture("CallConnected.json"), T0);
        CallState ended = CallProjection.evolve(connected, (CallConnectionEvent) fixture("CallDisconnected.json"), T0.plusSeconds(3));

        assertThat(connected.state()).isEqualTo("connected");
        assertThat(connected.connectedAt()).isEqualTo(T0);
        assertThat(connected.correlationId()).isEqualTo("5d169a62-eaa9-4cd1-9397-f77a623bd983");
        assertThat(ended.state()).isEqualTo("disconnected");
        assertThat(ended.endedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(ended.endCode()).isEqualTo(200);
        assertThat(ended.endSubCode()).isEqualTo(7000);
    }

    @Test
    void anEndedLegStaysEndedWhenALateCallConnectedArrives() {
        CallIds ids = new CallIds("leg", "s", "c");
        CallState ended = CallProjection.evolve(CallState.initial("leg"),
                new CallDisconnected(ids, null, new ResultInformation(200, 5001, "ended")), T0);

        CallState after = CallProjection.evolve(ended, new CallConnected(ids, null, new ResultInformation(200, 0, "")), T0.minusSeconds(1));

        assertThat(after).isEqualTo(ended);
    }

    @Test
    void createCallFailedAndItsCallDisconnectedRecordOneEndInEitherOrder() {
        CallIds ids = new CallIds("leg", "s", "c");
        ResultInformation declined = new ResultInformation(200, 5002, "The conversation has ended. DiagCode: 0#5002.@");
        CallState failedFirst = CallProjection.evolve(CallProjection.evolve(CallState.initial("leg"),
                new CreateCallFailed(ids, "op", declined), T0), new CallDisconnected(ids, null, declined), T0.plusMillis(1));
        CallState disconnectedFirst = CallProjection.evolve(CallProjection.evolve(CallState.initial("leg"),
                new CallDisconnected(ids, null, declined), T0.plusMillis(1)), new CreateCallFailed(ids, "op", declined), T0);

        assertThat(failedFirst.state()).isEqualTo("disconnected");
        assertThat(failedFirst.endSubCode()).isEqualTo(5002);
        assertThat(failedFirst.endReason()).startsWith("CreateCallFailed");
        assertThat(disconnectedFirst.state()).isEqualTo("disconnected");
        assertThat(disconnectedFirst.endSubCode()).isEqualTo(5002);
        assertThat(disconnectedFirst.endReason()).startsWith("CreateCallFailed");
        assertThat(disconnectedFirst.endedAt()).isEqualTo(T0.plusMillis(1));
    }

    @Test
    void aStaleOrDuplicateParticipantsSnapshotIsNotNewer() {
        ParticipantsUpdated recorded = (ParticipantsUpdated) fixture("ParticipantsUpdated.json");
        CallState applied = CallProjection.sequenced(CallState.initial("leg"), recorded);
        ParticipantsUpdated older = new ParticipantsUpdated(recorded.ids(), null, null, 0, List.of());

        assertThat(CallProjection.isNewer(CallState.initial("leg"), recorded)).isTrue();
        assertThat(applied.participantsSequence()).isEqualTo(1);
        assertThat(CallProjection.isNewer(applied, recorded)).isFalse();
        assertThat(CallProjection.isNewer(applied, older)).isFalse();
    }

    @Test
    void participantsJoinLeaveAndFollowMuteAndHoldFlags() {
        CallIds ids = new CallIds("leg", "s", "c");
        CallParticipant alice = new CallParticipant(new Identifier("8:acs:r_alice", "communicationUser"), false, false);
        CallParticipant bob = new CallParticipant(new Identifier("4:+14255550123", "phoneNumber"), false, false);
        CallParticipant bobOnHold = new CallParticipant(bob.identifier(), true, true);

        Map<String, Participant> s1 = ParticipantProjection.evolve(Map.of(), new ParticipantsUpdated(ids, null, null, 1, List.of(alice, bob)), T0);
        Map<String, Participant> s3 = ParticipantProjection.evolve(s1, new ParticipantsUpdated(ids, null, null, 3, List.of(alice, bobOnHold)), T0.plusSeconds(5));
        Map<String, Participant> s4 = ParticipantProjection.evolve(s3, new ParticipantsUpdated(ids, null, null, 4, List.of(alice)), T0.plusSeconds(9));
        Map<String, Participant> ended = ParticipantProjection.legEnded(s4, T0.plusSeconds(12));

        assertThat(s1.values()).extracting(Participant::joinedAt).containsOnly(T0);
        assertThat(s3.get(bob.identifier().rawId())).isEqualTo(new Participant("4:+14255550123", "phoneNumber", T0, null, true, true));
        assertThat(s4.get(bob.identifier().rawId()).leftAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(s4.get(alice.identifier().rawId()).leftAt()).isNull();
        assertThat(ended.get(alice.identifier().rawId()).leftAt()).isEqualTo(T0.plusSeconds(12));
        assertThat(ended.get(bob.identifier().rawId()).leftAt()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void theRecordedSnapshotBringsBothParticipantsIn() {
        ParticipantsUpdated recorded = (ParticipantsUpdated) fixture("ParticipantsUpdated.json");

        Map<String, Participant> after = ParticipantProjection.evolve(Map.of(), recorded, T0);

        // The recording redacted both raw ids to the same value, so they fold into one row.
        assertThat(after).containsOnlyKeys("REDACTED");
        assertThat(after.get("REDACTED").leftAt()).isNull();
    }
}
