package io.callstream.e2e;

import io.callstream.e2e.CallScenarios.CallOutcome;
import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import io.callstream.events.commands.CommandResult.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the emulator delivering every callback twice and out of order (EVENT-SEQUENCES.md R26),
 * the call flows end in the same state, every event is stored once, and each command ends once.
 */
@ExtendWith(StackExtension.class)
class ScrambledDeliveryIntegrationTests {

    private final StackClient client;
    private final LocalStack stack;

    ScrambledDeliveryIntegrationTests(StackClient client, LocalStack stack) {
        this.client = client;
        this.stack = stack;
    }

    @AfterEach
    void orderlyAgain() {
        assertThat(client.duplicateAndReorder(false).status()).isEqualTo(204);
    }

    @Test
    void anEventRepeatedWithinOneDeliveryIsStoredOnceAndItsBatchProjected() throws Exception {
        String leg = "scrambled-" + java.util.UUID.randomUUID();
        String connected = callback(leg, "connected-" + leg, "CallConnected", "");
        String updated = callback(leg, "updated-" + leg, "ParticipantsUpdated",
                ",\"sequenceNumber\":1,\"participants\":[{\"identifier\":{\"rawId\":\"4:+14255550134\",\"kind\":\"phoneNumber\","
                        + "\"phoneNumber\":{\"value\":\"+14255550134\"}},\"isMuted\":false,\"isOnHold\":false}]");

        // One delivery, so one batch for command-service: the repeat is stored once, and the events new to it are projected.
        assertThat(client.deliverCallback(("[" + connected + "," + updated + "," + connected + "]").getBytes(StandardCharsets.UTF_8)).status())
                .isBetween(200, 204);
        stack.awaitConsumed();

        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement("""
                     select (select count(*) from call_events where call_connection_id = ?),
                            (select state from calls where call_connection_id = ?),
                            (select count(*) from participants where call_connection_id = ?)""")) {
            q.setString(1, leg);
            q.setString(2, leg);
            q.setString(3, leg);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getString(2)).isEqualTo("connected");
                assertThat(rs.getInt(3)).isEqualTo(1);
            }
        }
    }

    @Test
    void theRowsOfManyKindsOfEventInOneDeliveryAreWhatTheyWouldBeHadTheEventsComeOneByOne() throws Exception {
        String leg = "rows-" + java.util.UUID.randomUUID();
        String recording = "recording-" + leg;
        java.time.Instant t = java.time.Instant.now();
        String failed = ",\"resultInformation\":{\"code\":400,\"subCode\":%d,\"message\":\"%s\"}";
        String tone = ",\"toneInfo\":{\"sequenceId\":1,\"tone\":\"%s\"}";
        String[] events = {
                callback(leg, "m1-" + leg, "MediaStreamingStarted", "", t),
                callback(leg, "t1-" + leg, "TranscriptionStarted", "", t),
                callback(leg, "f2-" + leg, "AddParticipantFailed", failed.formatted(2, "newer"), t.plusSeconds(2)),
                callback(leg, "f1-" + leg, "RemoveParticipantFailed", failed.formatted(1, "older"), t.plusSeconds(1)),
                callback(leg, "m2-" + leg, "MediaStreamingStopped", "", t.plusSeconds(3)),
                callback(leg, "d1-" + leg, "ContinuousDtmfRecognitionToneReceived", tone.formatted("five"), t),
                callback(leg, "d2-" + leg, "ContinuousDtmfRecognitionToneReceived", tone.formatted("six"), t),
                callback(leg, "r1-" + leg, "RecognizeCompleted", ",\"recognitionType\":\"dtmf\",\"dtmfResult\":{\"tones\":[\"one\",\"two\"]}", t),
                callback(leg, "s1-" + leg, "RecordingStateChanged", ",\"recordingId\":\"%s\",\"state\":\"active\"".formatted(recording), t),
                callback(leg, "s2-" + leg, "RecordingStateChanged", ",\"recordingId\":\"%s\",\"state\":\"inactive\"".formatted(recording), t),
        };

        // One delivery, so one batch for command-service, whose rows are written at its end.
        assertThat(client.deliverCallback(("[" + String.join(",", events) + "]").getBytes(StandardCharsets.UTF_8)).status())
                .isBetween(200, 204);
        stack.awaitConsumed();

        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement("""
                     select c.media_streaming, c.transcription, c.last_failure,
                            (select string_agg(tone, ',') from dtmf_tones where call_connection_id = c.call_connection_id),
                            (select array_to_string(tones, ',') from recognized_inputs where call_connection_id = c.call_connection_id),
                            (select state from recordings where recording_id = ?)
                     from calls c where c.call_connection_id = ?""")) {
            q.setString(1, recording);
            q.setString(2, leg);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("the leg's row").isTrue();
                assertThat(rs.getString(1)).isEqualTo("stopped");
                assertThat(rs.getString(2)).isEqualTo("started");
                assertThat(rs.getString(3)).isEqualTo("AddParticipantFailed: 400/2 newer");
                assertThat(rs.getString(4)).as("the first tone of sequenceId 1 is kept").isEqualTo("five");
                assertThat(rs.getString(5)).isEqualTo("one,two");
                assertThat(rs.getString(6)).isEqualTo("inactive");
            }
        }
    }

    @Test
    void aLaterBatchChangesOnlyTheLegColumnsItsEventsSetAndKeepsANewerStoredFailure() throws Exception {
        String leg = "later-" + java.util.UUID.randomUUID();
        java.time.Instant t = java.time.Instant.now();
        String failed = ",\"resultInformation\":{\"code\":400,\"subCode\":%d,\"message\":\"%s\"}";
        deliverOneBatch(callback(leg, "c-" + leg, "CallConnected", "", t),
                callback(leg, "f2-" + leg, "AddParticipantFailed", failed.formatted(2, "newer"), t.plusSeconds(2)),
                callback(leg, "m1-" + leg, "MediaStreamingStarted", "", t));
        // An older failure and a transcription: neither the state nor media streaming is touched.
        deliverOneBatch(callback(leg, "f1-" + leg, "RemoveParticipantFailed", failed.formatted(1, "older"), t.plusSeconds(1)),
                callback(leg, "t1-" + leg, "TranscriptionStarted", "", t.plusSeconds(3)));
        assertThat(legColumns(leg)).containsExactly("connected", "started", "started", "AddParticipantFailed: 400/2 newer");

        deliverOneBatch(callback(leg, "f3-" + leg, "RemoveParticipantFailed", failed.formatted(3, "newest"), t.plusSeconds(4)),
                callback(leg, "t2-" + leg, "TranscriptionStopped", "", t.plusSeconds(4)));
        assertThat(legColumns(leg)).containsExactly("connected", "started", "stopped", "RemoveParticipantFailed: 400/3 newest");
    }

    private void deliverOneBatch(String... events) throws Exception {
        assertThat(client.deliverCallback(("[" + String.join(",", events) + "]").getBytes(StandardCharsets.UTF_8)).status())
                .isBetween(200, 204);
        stack.awaitConsumed();
    }

    /** The leg's state, media_streaming, transcription and last_failure. */
    private java.util.List<String> legColumns(String leg) throws Exception {
        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement(
                     "select state, media_streaming, transcription, last_failure from calls where call_connection_id = ?")) {
            q.setString(1, leg);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("the leg's row").isTrue();
                return java.util.Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        }
    }

    /** A Call Automation callback event (a CloudEvent) of {@code type} on {@code leg}, with extra data fields. */
    private static String callback(String leg, String id, String type, String extraData) {
        return callback(leg, id, type, extraData, java.time.Instant.now());
    }

    private static String callback(String leg, String id, String type, String extraData, java.time.Instant time) {
        return """
                {"id":"%s","source":"calling/callConnections/%s","type":"Microsoft.Communication.%s","specversion":"1.0",\
                "datacontenttype":"application/json","time":"%s","subject":"calling/callConnections/%s",\
                "data":{"callConnectionId":"%s","serverCallId":"server-%s","correlationId":"correlation-%s"%s}}"""
                .formatted(id, leg, type, time, leg, leg, leg, leg, extraData);
    }

    @Test
    void callFlowsEndTheSameWhenCallbacksArriveTwiceAndOutOfOrder() throws Exception {
        assertThat(client.duplicateAndReorder(true).status()).isEqualTo(204);
        CallScenarios scenarios = new CallScenarios(client);

        CallOutcome inbound = scenarios.inboundAnsweredThenHungUp("+14255550131");
        CallOutcome outbound = scenarios.outboundCreatedThenHungUp("+14255550132");
        String leg = scenarios.connectedOutboundCall("+14255550133");
        String addId = scenarios.publish("add", """
                {"type":"AddParticipant","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"8:acs:r_scrambled"}}"""
                .formatted("%s", leg));
        scenarios.awaitStatus(addId, Status.COMPLETED);
        scenarios.awaitState(leg, "connected", 3);
        stack.awaitConsumed();

        assertThat(inbound.state()).isEqualTo("disconnected");
        assertThat(inbound.endSubCode()).isEqualTo(7000);
        assertThat(outbound.state()).isEqualTo("disconnected");
        for (String command : inbound.commandIds()) {
            assertThat(client.results(command).stream().filter(r -> r.status().isTerminal()).count()).as(command).isEqualTo(1);
        }
        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement("""
                     select count(*), count(distinct (source, event_id, event_type)) from call_events
                     where call_connection_id = any(?)""")) {
            q.setArray(1, db.createArrayOf("text", new Object[]{inbound.callConnectionId(), outbound.callConnectionId(), leg}));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(rs.getInt(2)).isGreaterThanOrEqualTo(9);
            }
        }
        assertThat(scenarios.history(leg).orElseThrow().participants()).isEqualTo(3);
        // The duplicates did reach Kafka: twice as many callback records as distinct events for the leg.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            var records = client.events().stream()
                    .filter(r -> r.value() != null && leg.equals(r.value().getExtension("callconnectionid"))).toList();
            assertThat(records).hasSize(2 * (int) records.stream().map(r -> r.value().getId()).distinct().count());
        });
    }
}
