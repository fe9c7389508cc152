package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ParticipantsUpdated snapshots through the whole pipeline, delivered out of order as the real
 * service does (EVENT-SEQUENCES.md §3.4): an older snapshot, by sequenceNumber, changes nothing;
 * a newer one moves joins, leaves and the mute and hold flags.
 */
@ExtendWith(StackExtension.class)
class ParticipantProjectionIntegrationTests {

    @Test
    void aSnapshotOlderThanTheOneAppliedChangesNothing(StackClient client, LocalStack stack) throws Exception {
        String leg = "leg-" + UUID.randomUUID();
        String alice = "8:acs:r_alice", bob = "4:+14255550123", carol = "8:acs:r_carol";

        assertThat(client.deliverCallback(snapshot(leg, 3, participant(alice, true, false), participant(bob, false, true))).status()).isEqualTo(200);
        assertThat(client.deliverCallback(snapshot(leg, 2, participant(alice, false, false), participant(bob, false, false),
                participant(carol, false, false))).status()).isEqualTo(200);
        stack.awaitConsumed();

        assertThat(rows(client, leg)).containsExactly(alice + " present muted", bob + " present onHold");
        assertThat(sequence(client, leg)).isEqualTo(3);

        assertThat(client.deliverCallback(snapshot(leg, 4, participant(alice, false, false))).status()).isEqualTo(200);
        stack.awaitConsumed();

        assertThat(rows(client, leg)).containsExactly(alice + " present", bob + " left onHold");
        assertThat(sequence(client, leg)).isEqualTo(4);
    }

    private static byte[] snapshot(String leg, int sequenceNumber, String... participants) {
        return ("[{\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"calling/callConnections/" + leg + "\","
                + "\"type\":\"Microsoft.Communication.ParticipantsUpdated\",\"data\":{\"participants\":[" + String.join(",", participants) + "],"
                + "\"sequenceNumber\":" + sequenceNumber + ",\"resultInformation\":{\"code\":200,\"subCode\":0,\"message\":\"\"},"
                + "\"version\":\"2025-05-15\",\"callConnectionId\":\"" + leg + "\",\"serverCallId\":\"server-" + leg + "\","
                + "\"correlationId\":\"corr-" + leg + "\",\"publicEventType\":\"Microsoft.Communication.ParticipantsUpdated\"},"
                + "\"time\":\"2026-01-01T00:00:0" + sequenceNumber + "+00:00\",\"specversion\":\"1.0\",\"datacontenttype\":\"application/json\","
                + "\"subject\":\"calling/callConnections/" + leg + "\"}]").getBytes();
    }

    private static String participant(String rawId, boolean muted, boolean onHold) {
        String kind = rawId.startsWith("4:") ? "\"kind\":\"phoneNumber\",\"phoneNumber\":{\"value\":\"" + rawId.substring(2) + "\"}"
                : "\"kind\":\"communicationUser\",\"communicationUser\":{\"id\":\"" + rawId + "\"}";
        return "{\"identifier\":{\"rawId\":\"" + rawId + "\"," + kind + "},\"isMuted\":" + muted + ",\"isOnHold\":" + onHold + "}";
    }

    private static List<String> rows(StackClient client, String leg) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement("""
                     select raw_id, left_at is null, is_muted, is_on_hold from participants
                     where call_connection_id = ? order by raw_id desc""")) {
            q.setString(1, leg);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + (rs.getBoolean(2) ? " present" : " left") + (rs.getBoolean(3) ? " muted" : "")
                            + (rs.getBoolean(4) ? " onHold" : ""));
                }
            }
        }
        return rows;
    }

    private static int sequence(StackClient client, String leg) throws Exception {
        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement("select participants_sequence from calls where call_connection_id = ?")) {
            q.setString(1, leg);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
