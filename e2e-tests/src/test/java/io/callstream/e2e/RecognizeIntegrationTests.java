package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
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
 * Recognize through the whole pipeline: DTMF, choices by tone and by phrase, free speech, and
 * each failure the emulator can produce, with the recognized input stored in {@code recognized_inputs}.
 */
@ExtendWith(StackExtension.class)
class RecognizeIntegrationTests {

    private static final String MENU = """
            "choices":[{"label":"sales","phrases":["sales","buy"],"tone":"one"},{"label":"support","phrases":["support","help"],"tone":"two"}]""";

    private final StackClient client;
    private final CallScenarios scenarios;

    RecognizeIntegrationTests(StackClient client, LocalStack stack) {
        this.client = client;
        this.scenarios = new CallScenarios(client);
    }

    @Test
    void dtmfIsCollectedUntilTheStopToneAndStored() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550151");
        String id = recognize(leg, "+14255550151", "dtmf", """
                "dtmf":{"maxTonesToCollect":4,"stopTones":["pound"]},"prompts":[{"text":"Enter your PIN"}]""");
        press(leg, "one", "two", "pound");

        CommandResult done = scenarios.awaitStatus(id, Status.COMPLETED);

        assertThat(done.subCode()).isEqualTo(8514);
        assertThat(input(id)).isEqualTo("dtmf tones={one,two}");
    }

    @Test
    void aChoiceIsPickedByToneOrByPhrase() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550152");
        String byTone = recognize(leg, "+14255550152", "choices", MENU);
        press(leg, "two");
        CommandResult tone = scenarios.awaitStatus(byTone, Status.COMPLETED);
        String byPhrase = recognize(leg, "+14255550152", "choices", MENU);
        say(leg, "Buy");
        CommandResult phrase = scenarios.awaitStatus(byPhrase, Status.COMPLETED);

        String byLabel = recognize(leg, "+14255550152", "choices", MENU);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.choose(leg, "support").status() == 204);
        scenarios.awaitStatus(byLabel, Status.COMPLETED);

        assertThat(input(byLabel)).isEqualTo("choices label=support");
        assertThat(tone.subCode()).isEqualTo(8533);
        assertThat(input(byTone)).isEqualTo("choices label=support");
        assertThat(phrase.subCode()).isEqualTo(8545);
        assertThat(input(byPhrase)).isEqualTo("choices label=sales");
    }

    @Test
    void freeSpeechIsStoredWithItsConfidence() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550153");
        String id = recognize(leg, "+14255550153", "speechOrDtmf", "\"speechLanguage\":\"en-US\"");
        say(leg, "I want to pay my bill");

        scenarios.awaitStatus(id, Status.COMPLETED);

        assertThat(input(id)).isEqualTo("speech speech=I want to pay my bill confidence=0.9000");
    }

    @Test
    void silenceAWrongToneABadPromptAndACancelFailWithTheirSubCodes() {
        String leg = scenarios.connectedOutboundCall("+14255550154");
        String silent = recognize(leg, "+14255550154", "dtmf", "\"initialSilenceTimeoutInSeconds\":1");
        CommandResult timedOut = scenarios.awaitStatus(silent, Status.FAILED);
        String wrong = recognize(leg, "+14255550154", "choices", MENU);
        press(leg, "nine");
        CommandResult wrongTone = scenarios.awaitStatus(wrong, Status.FAILED);
        String badPrompt = recognize(leg, "+14255550154", "dtmf", "\"prompts\":[{\"url\":\"https://unreachable.example/menu.wav\"}]");
        CommandResult promptFailed = scenarios.awaitStatus(badPrompt, Status.FAILED);
        String cancelled = recognize(leg, "+14255550154", "speech", "\"initialSilenceTimeoutInSeconds\":60");
        scenarios.awaitStatus(cancelled, Status.ACCEPTED);
        scenarios.awaitStatus(scenarios.publish("cancel", """
                {"type":"CancelAllMediaOperations","commandId":"%s","callConnectionId":"%s"}""".formatted("%s", leg)), Status.COMPLETED);
        CommandResult canceled = scenarios.awaitStatus(cancelled, Status.FAILED);

        assertThat(timedOut.subCode()).isEqualTo(8510);
        assertThat(wrongTone.subCode()).isEqualTo(8534);
        assertThat(promptFailed.subCode()).isEqualTo(8511);
        assertThat(canceled.reason()).startsWith("RecognizeCanceled");
    }

    private String recognize(String leg, String participant, String type, String extra) {
        return scenarios.publish("recognize", """
                {"type":"Recognize","commandId":"%s","callConnectionId":"%s","recognizeInputType":"%s",
                 "participant":{"phoneNumber":"%s"},%s}""".formatted("%s", leg, type, participant, extra));
    }

    /** Presses once the recognize is running at the emulator (the command was accepted). */
    private void press(String leg, String... tones) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.press(leg, tones).status() == 204);
    }

    private void say(String leg, String phrase) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.say(leg, phrase).status() == 204);
    }

    private String input(String commandId) throws Exception {
        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement("""
                     select recognition_type, tones, label, speech, confidence from recognized_inputs where operation_context = ?""")) {
            q.setString(1, commandId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                StringBuilder row = new StringBuilder(rs.getString(1));
                if (rs.getString(2) != null) {
                    row.append(" tones=").append(rs.getString(2));
                }
                if (rs.getString(3) != null) {
                    row.append(" label=").append(rs.getString(3));
                }
                if (rs.getString(4) != null) {
                    row.append(" speech=").append(rs.getString(4)).append(" confidence=").append(rs.getBigDecimal(5));
                }
                return row.toString();
            }
        }
    }
}
