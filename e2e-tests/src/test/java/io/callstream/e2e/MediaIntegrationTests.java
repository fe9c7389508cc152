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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mid-call media commands of the overview's feature table through the whole pipeline: play and
 * cancel, mute, hold and unhold (with and without music), sending DTMF, and continuous DTMF
 * recognition with each tone as a row.
 */
@ExtendWith(StackExtension.class)
class MediaIntegrationTests {

    private final StackClient client;
    private final CallScenarios scenarios;

    MediaIntegrationTests(StackClient client, LocalStack stack) {
        this.client = client;
        this.scenarios = new CallScenarios(client);
    }

    @Test
    void playCompletesAndBadSourcesFailWithTheirSubCodes() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550141");

        String playId = scenarios.publish("play", """
                {"type":"Play","commandId":"%s","callConnectionId":"%s","playSources":[{"url":"https://media.example/welcome.wav"},
                 {"text":"Thank you for calling","voiceName":"en-US-NancyNeural"}]}""".formatted("%s", leg));
        CommandResult played = scenarios.awaitStatus(playId, Status.COMPLETED);
        String unreachableId = scenarios.publish("play", """
                {"type":"Play","commandId":"%s","callConnectionId":"%s","playSources":[{"url":"https://unreachable.example/a.wav"}]}"""
                .formatted("%s", leg));
        CommandResult unreachable = scenarios.awaitStatus(unreachableId, Status.FAILED);
        String badFormatId = scenarios.publish("play", """
                {"type":"Play","commandId":"%s","callConnectionId":"%s","playSources":[{"url":"https://media.example/a.wav"},
                 {"url":"https://media.example/b.mp3"}]}""".formatted("%s", leg));
        CommandResult badFormat = scenarios.awaitStatus(badFormatId, Status.FAILED);

        assertThat(played.message()).isEqualTo("Action completed successfully.");
        assertThat(eventTypes(playId)).containsExactly("Microsoft.Communication.PlayStarted", "Microsoft.Communication.PlayCompleted");
        assertThat(unreachable.subCode()).isEqualTo(8536);
        assertThat(eventTypes(unreachableId)).containsExactly("Microsoft.Communication.PlayFailed");
        assertThat(badFormat.subCode()).isEqualTo(8535);
        assertThat(eventTypes(badFormatId)).containsExactly("Microsoft.Communication.PlayStarted", "Microsoft.Communication.PlayFailed");
    }

    @Test
    void cancelAllMediaOperationsCancelsALoopingPlay() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550142");
        String playId = scenarios.publish("play", """
                {"type":"Play","commandId":"%s","callConnectionId":"%s","playSources":[{"url":"https://media.example/hold.wav"}],"loop":true}"""
                .formatted("%s", leg));
        scenarios.awaitStatus(playId, Status.ACCEPTED);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> eventTypes(playId).contains("Microsoft.Communication.PlayStarted"));

        String cancelId = scenarios.publish("cancel", """
                {"type":"CancelAllMediaOperations","commandId":"%s","callConnectionId":"%s"}""".formatted("%s", leg));
        scenarios.awaitStatus(cancelId, Status.COMPLETED);
        CommandResult cancelled = scenarios.awaitStatus(playId, Status.FAILED);

        assertThat(cancelled.reason()).startsWith("PlayCanceled");
        assertThat(cancelled.subCode()).isEqualTo(8508);
    }

    @Test
    void muteAndHoldShowOnTheParticipantAndUnholdClearsIt() throws Exception {
        String user = "8:acs:r_customer-" + UUID.randomUUID();
        String createId = scenarios.publish("create", """
                {"type":"CreateCall","commandId":"%s","targets":[{"communicationUserId":"%s"}]}""".formatted("%s", user));
        String leg = scenarios.awaitStatus(createId, Status.COMPLETED).callConnectionId();
        scenarios.awaitState(leg, "connected", 1);

        scenarios.awaitStatus(scenarios.publish("mute", """
                {"type":"MuteParticipant","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"%s"}}"""
                .formatted("%s", leg, user)), Status.COMPLETED);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> flags(leg, user).equals("muted"));
        scenarios.awaitStatus(scenarios.publish("hold", """
                {"type":"Hold","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"%s"},
                 "playSource":{"url":"https://media.example/music.wav"}}""".formatted("%s", leg, user)), Status.COMPLETED);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> flags(leg, user).equals("muted onHold"));
        scenarios.awaitStatus(scenarios.publish("unhold", """
                {"type":"Unhold","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"%s"}}"""
                .formatted("%s", leg, user)), Status.COMPLETED);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> flags(leg, user).equals("muted"));
        String badMusicId = scenarios.publish("hold", """
                {"type":"Hold","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"%s"},
                 "playSource":{"url":"https://unreachable.example/music.wav"}}""".formatted("%s", leg, user));
        CommandResult holdFailed = scenarios.awaitStatus(badMusicId, Status.FAILED);
        String mutePhone = scenarios.publish("mute", """
                {"type":"MuteParticipant","commandId":"%s","callConnectionId":"%s","participant":{"phoneNumber":"+14255550143"}}"""
                .formatted("%s", leg));
        CommandResult refused = scenarios.awaitStatus(mutePhone, Status.REJECTED);

        assertThat(holdFailed.reason()).startsWith("HoldFailed");
        assertThat(holdFailed.subCode()).isEqualTo(8536);
        assertThat(legEventTypes(leg)).contains("Microsoft.Communication.HoldAudioStarted", "Microsoft.Communication.HoldAudioCompleted");
        assertThat(refused.reason()).contains("ACS answered 400");
    }

    @Test
    void sendDtmfCompletesAndContinuousRecognitionStoresEachToneInOrder() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550144");

        scenarios.awaitStatus(scenarios.publish("dtmf", """
                {"type":"SendDtmfTones","commandId":"%s","callConnectionId":"%s","participant":{"phoneNumber":"+14255550144"},
                 "tones":["one","two","pound"]}""".formatted("%s", leg)), Status.COMPLETED);
        scenarios.awaitStatus(scenarios.publish("listen", """
                {"type":"StartContinuousDtmfRecognition","commandId":"%s","callConnectionId":"%s","participant":{"phoneNumber":"+14255550144"}}"""
                .formatted("%s", leg)), Status.COMPLETED);
        assertThat(client.press(leg, "four", "two", "asterisk").status()).isEqualTo(204);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> tones(leg).size() == 3);
        CommandResult stopped = scenarios.awaitStatus(scenarios.publish("stop", """
                {"type":"StopContinuousDtmfRecognition","commandId":"%s","callConnectionId":"%s","participant":{"phoneNumber":"+14255550144"}}"""
                .formatted("%s", leg)), Status.COMPLETED);

        assertThat(tones(leg)).containsExactly("1 four", "2 two", "3 asterisk");
        assertThat(stopped.errorCode()).isEqualTo("200");
        assertThat(client.press(leg, "one").status()).isEqualTo(409);
    }

    @Test
    void mediaStreamingAndTranscriptionStartUpdateStopAndFail() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550145");

        scenarios.awaitStatus(command("StartMediaStreaming", leg, ""), Status.COMPLETED);
        CommandResult twice = scenarios.awaitStatus(command("StartMediaStreaming", leg, ""), Status.FAILED);
        awaitColumn("media_streaming", leg, "failed");
        scenarios.awaitStatus(command("StopMediaStreaming", leg, ""), Status.COMPLETED);
        awaitColumn("media_streaming", leg, "stopped");

        CommandResult noRegion = scenarios.awaitStatus(command("StartTranscription", leg, ",\"locale\":\"en\""), Status.FAILED);
        scenarios.awaitStatus(command("StartTranscription", leg, ",\"locale\":\"en-US\""), Status.COMPLETED);
        awaitColumn("transcription", leg, "started");
        scenarios.awaitStatus(command("UpdateTranscription", leg, ",\"locale\":\"es-ES\""), Status.COMPLETED);
        awaitColumn("transcription_locale", leg, "es-ES");
        scenarios.awaitStatus(command("StopTranscription", leg, ""), Status.COMPLETED);
        CommandResult notRunning = scenarios.awaitStatus(command("UpdateTranscription", leg, ",\"locale\":\"fr-FR\""), Status.FAILED);

        assertThat(twice.reason()).startsWith("MediaStreamingFailed");
        assertThat(noRegion.subCode()).isEqualTo(8523);
        assertThat(notRunning.subCode()).isEqualTo(8501);
        assertThat(legEventTypes(leg)).contains("Microsoft.Communication.MediaStreamingStarted", "Microsoft.Communication.MediaStreamingStopped",
                "Microsoft.Communication.TranscriptionStarted", "Microsoft.Communication.TranscriptionUpdated",
                "Microsoft.Communication.TranscriptionStopped", "Microsoft.Communication.TranscriptionFailed");
    }

    private String command(String type, String leg, String extra) {
        return scenarios.publish(type.toLowerCase(), """
                {"type":"%s","commandId":"%s","callConnectionId":"%s"%s}""".formatted(type, "%s", leg, extra));
    }

    /** Results are published inside the projecting transaction, just before it commits: SQL may lag a moment. */
    private void awaitColumn(String column, String leg, String value) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> value.equals(column(column, leg)));
    }

    private String column(String column, String leg) throws Exception {
        List<String> rows = strings("select " + column + " from calls where call_connection_id = ?", leg);
        return rows.isEmpty() ? null : rows.getFirst();
    }

    private List<String> eventTypes(String operationContext) throws Exception {
        return strings("select event_type from call_events where operation_context = ? order by event_time, received_at", operationContext);
    }

    private List<String> legEventTypes(String leg) throws Exception {
        return strings("select event_type from call_events where call_connection_id = ? order by event_time", leg);
    }

    private List<String> tones(String leg) throws Exception {
        return strings("select sequence_id || ' ' || tone from dtmf_tones where call_connection_id = ? order by sequence_id", leg);
    }

    private String flags(String leg, String rawId) throws Exception {
        List<String> rows = strings("""
                select trim(case when is_muted then 'muted ' else '' end || case when is_on_hold then 'onHold' else '' end)
                from participants where call_connection_id = ? and raw_id = '%s'""".formatted(rawId), leg);
        return rows.isEmpty() ? "" : rows.getFirst();
    }

    private List<String> strings(String sql, String parameter) throws Exception {
        return Sql.column(client, sql, parameter);
    }
}
