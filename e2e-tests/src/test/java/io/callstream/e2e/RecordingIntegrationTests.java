package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.Sql;
import io.callstream.e2e.support.StackExtension;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.CommandResult.Status;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recording through the whole pipeline: start, pause, resume and stop as commands;
 * RecordingStateChanged on the callback and RecordingFileStatusUpdated through Event Grid kept in
 * {@code recordings}.
 */
@ExtendWith(StackExtension.class)
class RecordingIntegrationTests {

    private final StackClient client;
    private final CallScenarios scenarios;

    RecordingIntegrationTests(StackClient client, LocalStack stack) {
        this.client = client;
        this.scenarios = new CallScenarios(client);
    }

    @Test
    void aRecordingIsStartedPausedResumedStoppedAndItsFilesArrive() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550161");
        String serverCallId = column("select server_call_id from calls where call_connection_id = ?", leg);

        String startId = scenarios.publish("record", """
                {"type":"StartRecording","commandId":"%s","serverCallId":"%s","recordingContentType":"audio",
                 "recordingChannelType":"unmixed","recordingFormatType":"wav",
                 "channelAffinity":[{"channel":0,"participant":{"phoneNumber":"+14255550161"}}]}""".formatted("%s", serverCallId));
        CommandResult started = scenarios.awaitStatus(startId, Status.ACCEPTED);
        scenarios.awaitStatus(startId, Status.COMPLETED);
        String recordingId = started.recordingId();
        awaitState(recordingId, "active");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> column(
                "select call_connection_id from recordings where recording_id = ?", recordingId) != null);

        scenarios.awaitStatus(recordingCommand("PauseRecording", recordingId), Status.COMPLETED);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stateChanges(recordingId) >= 2);
        assertThat(column("select state from recordings where recording_id = ?", recordingId)).isEqualTo("paused");
        scenarios.awaitStatus(recordingCommand("ResumeRecording", recordingId), Status.COMPLETED);
        awaitState(recordingId, "active");
        scenarios.awaitStatus(recordingCommand("StopRecording", recordingId), Status.COMPLETED);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> column(
                "select files_ready_at::text from recordings where recording_id = ?", recordingId) != null);

        assertThat(column("select state || ' ' || format_type || ' ' || channel_type || ' ' || session_end_reason "
                + "|| ' ' || (duration_ms >= 0) || ' ' || cardinality(content_locations) from recordings where recording_id = ?", recordingId))
                .isEqualTo("inactive wav unmixed CallEnded true 1");
        assertThat(column("select server_call_id from recordings where recording_id = ?", recordingId)).isEqualTo(serverCallId);
    }

    @Test
    void invalidRecordingRequestsAreRejectedWithAcsReasons() {
        String leg = scenarios.connectedOutboundCall("+14255550162");

        String mp4Audio = scenarios.publish("record", """
                {"type":"StartRecording","commandId":"%s","serverCallId":"no-such-call"}""");
        CommandResult unknownCall = scenarios.awaitStatus(mp4Audio, Status.REJECTED);
        CommandResult unknownRecording = scenarios.awaitStatus(recordingCommand("PauseRecording", "no-such-recording"), Status.REJECTED);

        assertThat(leg).isNotBlank();
        assertThat(unknownCall.reason()).contains("ACS answered 404");
        assertThat(unknownCall.errorCode()).isEqualTo("8522");
        assertThat(unknownRecording.reason()).contains("Recording not found");
    }

    private String recordingCommand(String type, String recordingId) {
        return scenarios.publish(type.toLowerCase(), """
                {"type":"%s","commandId":"%s","recordingId":"%s"}""".formatted(type, "%s", recordingId));
    }

    private void awaitState(String recordingId, String state) {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> state.equals(column("select state from recordings where recording_id = ?", recordingId)));
    }

    private int stateChanges(String recordingId) throws Exception {
        return Integer.parseInt(column("""
                select count(*)::text from call_events where event_type = 'Microsoft.Communication.RecordingStateChanged'
                and payload ->> 'recordingId' = ?""", recordingId));
    }

    private String column(String sql, String parameter) throws Exception {
        return Sql.one(client, sql, parameter);
    }
}
