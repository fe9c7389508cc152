package io.callstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.callstream.e2e.CallScenarios.CallOutcome;
import io.callstream.e2e.support.StackExtension;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.CommandResult.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline end to end: calls rung and placed through the ACS emulator with the real Azure
 * SDK, events through ingress-service and a real Kafka broker, history in a real PostgreSQL.
 */
@ExtendWith(StackExtension.class)
class CallFlowIntegrationTests {

    @Test
    void anInboundPstnCallIsAnsweredByCommandAndHungUpForEveryone(StackClient stack) throws Exception {
        CallOutcome call = new CallScenarios(stack).inboundAnsweredThenHungUp("+14255550123");

        assertThat(call.direction()).isEqualTo("inbound");
        assertThat(call.state()).isEqualTo("disconnected");
        assertThat(call.fromRawId()).isEqualTo("4:+14255550123");
        assertThat(call.toRawIds()).isEqualTo("4:" + CallScenarios.APP_NUMBER);
        assertThat(call.endSubCode()).isEqualTo(7000);
        assertThat(call.participants()).isEqualTo(2);
        String answerId = call.commandIds().getFirst();
        assertThat(stack.results(answerId)).extracting(CommandResult::status).contains(Status.ACCEPTED, Status.COMPLETED);
        assertThat(stack.results(answerId)).extracting(CommandResult::callConnectionId).containsOnly(call.callConnectionId());
    }

    @Test
    void theEmulatorListsEachAnsweredCallWithHowLongItRang(StackClient stack) throws Exception {
        Instant rung = Instant.now();
        JsonNode ringing = stack.ring("+14255550125", CallScenarios.APP_NUMBER).json();
        String answerId = StackClient.newCommandId("answer");
        stack.publishCommand(answerId, """
                {"type":"AnswerCall","commandId":"%s","incomingCallContext":"%s"}""".formatted(answerId,
                ringing.path("incomingCallContext").asText()));

        JsonNode answer = await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode a : stack.send(HttpRequest.newBuilder(stack.endpoints().emulatorUrl().resolve("/emulator/answers"))
                    .timeout(StackClient.timeout).GET().build()).json().path("answers")) {
                if (a.path("serverCallId").asText().equals(ringing.path("serverCallId").asText())) {
                    return a;
                }
            }
            return null;
        }, Objects::nonNull);

        Instant answeredAt = Instant.parse(answer.path("answeredAt").asText());
        assertThat(answeredAt).isAfter(rung);
        assertThat(answer.path("latencyMicros").asLong()).isPositive()
                .isLessThanOrEqualTo(Duration.between(rung, answeredAt).toNanos() / 1_000);
    }

    @Test
    void anOutboundPstnCallIsCreatedConnectedAndHungUp(StackClient stack) throws Exception {
        CallOutcome call = new CallScenarios(stack).outboundCreatedThenHungUp("+14255550188");

        assertThat(call.direction()).isEqualTo("outbound");
        assertThat(call.state()).isEqualTo("disconnected");
        assertThat(call.fromRawId()).isEqualTo("4:" + CallScenarios.APP_NUMBER);
        assertThat(call.toRawIds()).isEqualTo("4:+14255550188");
        assertThat(call.endSubCode()).isEqualTo(7000);
        assertThat(stack.results(call.commandIds().getLast())).extracting(CommandResult::status)
                .contains(Status.ACCEPTED, Status.COMPLETED);
    }

    @Test
    void theIvrAnswersRecordsPlaysTheMenuRecognizesTheChoiceAndRoutesByIt(StackClient stack) throws Exception {
        CallScenarios scenarios = new CallScenarios(stack);

        CallScenarios.IvrOutcome sales = scenarios.ivr("+14255550171", "one");
        CallScenarios.IvrOutcome support = scenarios.ivr("+14255550172", "two");

        assertThat(sales.choice()).isEqualTo("sales");
        assertThat(scenarios.history(sales.callConnectionId()).orElseThrow().participants()).isEqualTo(3);
        assertThat(String.join("\n", sales.timeline())).contains("AnswerCall", "CallConnected", "StartRecording", "RecordingStateChanged",
                "PlayCompleted", "RecognizeCompleted", "AddParticipantSucceeded", "StopRecording", "RecordingFileStatusUpdated", "CallDisconnected");
        assertThat(support.choice()).isEqualTo("support");
        assertThat(scenarios.history(support.callConnectionId()).orElseThrow().endSubCode()).isEqualTo(7015);
        assertThat(String.join("\n", support.timeline())).contains("TransferCall", "CallTransferAccepted");
    }

    @Test
    void theHistoryViewsShowTheCallItsDurationOutcomeAndTimeline(StackClient stack) throws Exception {
        CallOutcome call = new CallScenarios(stack).outboundCreatedThenHungUp("+14255550189");

        try (Connection db = stack.database();
             PreparedStatement history = db.prepareStatement("""
                     select direction, outcome, duration_seconds, participant_count, to_raw_ids[1] from call_history
                     where call_connection_id = ?""");
             PreparedStatement timeline = db.prepareStatement("""
                     select raw_id, joined_at is not null, left_at is not null, seconds_present >= 0 from participant_timeline
                     where call_connection_id = ? order by raw_id""")) {
            history.setString(1, call.callConnectionId());
            timeline.setString(1, call.callConnectionId());
            try (ResultSet row = history.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("outbound");
                assertThat(row.getString(2)).isEqualTo("completed");
                assertThat(row.getBigDecimal(3)).isNotNull().isGreaterThanOrEqualTo(java.math.BigDecimal.ZERO);
                assertThat(row.getInt(4)).isEqualTo(2);
                assertThat(row.getString(5)).isEqualTo("4:+14255550189");
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = timeline.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getBoolean(2) + " " + rs.getBoolean(3) + " " + rs.getBoolean(4));
                }
            }
            assertThat(rows).containsExactly("4:" + CallScenarios.APP_NUMBER + " true true true", "4:+14255550189 true true true");
        }
    }
}
