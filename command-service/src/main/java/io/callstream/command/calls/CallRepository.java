package io.callstream.command.calls;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code calls} and {@code participants}. Callers hold a transaction: {@link #lock} takes the
 * leg's row lock, so concurrent consumers (other partitions, other instances, the command
 * handler) serialize per call connection.
 */
@Repository
public class CallRepository {

    /** Where an inbound leg's parties come from: the IncomingCall event of the same serverCallId. */
    private static final String INCOMING_FROM = "(select e.payload -> 'from' ->> 'rawId' from call_events e "
            + "where e.event_type = 'Microsoft.Communication.IncomingCall' and e.server_call_id = ? limit 1)";
    private static final String INCOMING_TO = "(select array[e.payload -> 'to' ->> 'rawId'] from call_events e "
            + "where e.event_type = 'Microsoft.Communication.IncomingCall' and e.server_call_id = ? limit 1)";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    CallRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** The leg's state, creating its row if this is the first word of it, under the row lock. */
    public CallState lock(String callConnectionId) {
        return lock(List.of(callConnectionId)).get(callConnectionId);
    }

    /**
     * The legs' states, creating the rows of legs not seen before, under their row locks: two
     * statements for any number of legs. Rows are created and locked in callConnectionId order,
     * so that two batches locking overlapping legs this way cannot deadlock on each other. (A
     * leg's row taken later in the same transaction, by a per-event write, is outside that order;
     * PostgreSQL breaks such a deadlock and the batch is retried.)
     *
     * @return the states by callConnectionId, one for each leg asked for
     */
    public Map<String, CallState> lock(Collection<String> callConnectionIds) {
        Map<String, CallState> states = new LinkedHashMap<>();
        if (callConnectionIds.isEmpty()) {
            return states;
        }
        String[] legs = new TreeSet<>(callConnectionIds).toArray(String[]::new);
        jdbc.sql("""
                        insert into calls (call_connection_id, state)
                        select leg, 'connecting' from unnest(?::text[]) as leg order by leg on conflict do nothing""")
                .param(legs).update();
        jdbc.sql("""
                        select call_connection_id, server_call_id, correlation_id, state, connected_at, ended_at,
                               end_code, end_sub_code, end_reason, participants_sequence
                        from calls where call_connection_id = any(?) order by call_connection_id for update""")
                .param(legs).query(CallRepository::callState).list().forEach(state -> states.put(state.callConnectionId(), state));
        return states;
    }

    /** Writes a state folded from {@link #lock}. An inbound leg also picks up its parties from IncomingCall. */
    public void save(CallState s) {
        save(List.of(new LegRow(s, null, null, null)));
    }

    /**
     * What one batch of events leaves on a leg's row: the state folded from {@link #lock}, and the
     * columns only some events set, each {@code null} where the batch set none.
     *
     * @param state the leg's state, as folded
     * @param mediaStreaming the last media streaming state the batch set: started, stopped or failed
     * @param transcription the last transcription state the batch set: started, stopped or failed
     * @param lastFailure the batch's newest mid-call failure (by event time; of equal times the later
     *     one); it replaces the stored one unless that is newer
     */
    public record LegRow(CallState state, String mediaStreaming, String transcription, Failure lastFailure) {
    }

    /**
     * Writes legs' rows in one statement for any number of legs: the columns go as arrays,
     * unnested server-side, so PostgreSQL plans and executes one update rather than one per leg.
     * The rows must exist and be locked: {@link #lock(Collection)} first. An inbound leg also picks
     * up its parties from IncomingCall.
     *
     * @param rows one per leg; a leg named twice is an {@link IllegalArgumentException}
     */
    public void save(Collection<LegRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[] legs = new String[n];
        String[] serverCallIds = new String[n];
        String[] correlationIds = new String[n];
        String[] states = new String[n];
        String[] connectedAt = new String[n];
        String[] endedAt = new String[n];
        Integer[] endCodes = new Integer[n];
        Integer[] endSubCodes = new Integer[n];
        String[] endReasons = new String[n];
        Integer[] sequences = new Integer[n];
        String[] mediaStreaming = new String[n];
        String[] transcription = new String[n];
        String[] failures = new String[n];
        String[] failedAt = new String[n];
        int i = 0;
        for (LegRow row : rows) {
            CallState s = row.state();
            legs[i] = s.callConnectionId();
            serverCallIds[i] = s.serverCallId();
            correlationIds[i] = s.correlationId();
            states[i] = s.state();
            connectedAt[i] = iso(s.connectedAt());
            endedAt[i] = iso(s.endedAt());
            endCodes[i] = s.endCode();
            endSubCodes[i] = s.endSubCode();
            endReasons[i] = s.endReason();
            sequences[i] = s.participantsSequence();
            mediaStreaming[i] = row.mediaStreaming();
            transcription[i] = row.transcription();
            failures[i] = row.lastFailure() == null ? null : row.lastFailure().text();
            failedAt[i] = row.lastFailure() == null ? null : iso(row.lastFailure().at());
            i++;
        }
        if (new HashSet<>(List.of(legs)).size() != n) {
            throw new IllegalArgumentException("a leg is named twice among " + n + " rows");
        }
        // The legs twice: joined to the unnested rows, and again as = any(legs). Without the second,
        // a million events' updates took 20 s instead of 1.7 s (make bench, pg_stat_statements).
        String newerFailure = "(v.last_failure_at is not null and (c.last_failure_at is null or c.last_failure_at <= v.last_failure_at))";
        jdbc.sql("""
                        update calls c set server_call_id = v.server_call_id, correlation_id = v.correlation_id, state = v.state,
                               connected_at = v.connected_at, ended_at = v.ended_at, end_code = v.end_code,
                               end_sub_code = v.end_sub_code, end_reason = v.end_reason, participants_sequence = v.participants_sequence,
                               media_streaming = coalesce(v.media_streaming, c.media_streaming),
                               transcription = coalesce(v.transcription, c.transcription),
                               last_failure = case when %3$s then v.last_failure else c.last_failure end,
                               last_failure_at = case when %3$s then v.last_failure_at else c.last_failure_at end,
                               from_raw_id = case when c.direction = 'inbound' then coalesce(c.from_raw_id, %1$s) else c.from_raw_id end,
                               to_raw_ids = case when c.direction = 'inbound' then coalesce(c.to_raw_ids, %2$s) else c.to_raw_ids end,
                               updated_at = now()
                        from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::int[], ?::int[],
                                    ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                            as v(call_connection_id, server_call_id, correlation_id, state, connected_at, ended_at, end_code, end_sub_code,
                                 end_reason, participants_sequence, media_streaming, transcription, last_failure, last_failure_at)
                        where c.call_connection_id = v.call_connection_id and c.call_connection_id = any(?::text[])"""
                        .formatted(incoming(INCOMING_FROM, "v.server_call_id"), incoming(INCOMING_TO, "v.server_call_id"), newerFailure))
                .params(legs, serverCallIds, correlationIds, states, connectedAt, endedAt, endCodes, endSubCodes, endReasons, sequences,
                        mediaStreaming, transcription, failures, failedAt, legs)
                .update();
    }

    /** {@link #INCOMING_FROM} or {@link #INCOMING_TO} looking up the serverCallId in {@code column}, not a parameter. */
    private static String incoming(String lookup, String column) {
        return lookup.replace("e.server_call_id = ?", "e.server_call_id = " + column);
    }

    /**
     * Records what a command knows of a leg ACS accepted: its ids, direction and parties. Facts
     * already recorded are kept, and state is left to the events.
     *
     * @param direction inbound (answered) or outbound (created)
     * @param fromRawId the caller; {@code null} for an inbound leg, whose IncomingCall names it
     * @param toRawIds the callees; {@code null} for an inbound leg
     */
    public void recordLeg(String callConnectionId, String serverCallId, String correlationId, String direction,
                          String fromRawId, List<String> toRawIds) {
        jdbc.sql("insert into calls (call_connection_id, state) values (?, 'connecting') on conflict do nothing")
                .param(callConnectionId).update();
        jdbc.sql("""
                        update calls set server_call_id = coalesce(server_call_id, ?), correlation_id = coalesce(correlation_id, ?),
                               direction = coalesce(direction, ?), updated_at = now(),
                               from_raw_id = coalesce(from_raw_id, ?, %s),
                               to_raw_ids = coalesce(to_raw_ids, ?, %s)
                        where call_connection_id = ?""".formatted(INCOMING_FROM, INCOMING_TO))
                .params(serverCallId, correlationId, direction, fromRawId, serverCallId,
                        toRawIds == null ? null : toRawIds.toArray(String[]::new), serverCallId, callConnectionId)
                .update();
    }

    /**
     * A mid-call failure of a leg: the failed event's name (e.g. {@code AddParticipantFailed}) and
     * its resultInformation, at the event's time.
     */
    public record Failure(String callConnectionId, String failure, io.callstream.events.acs.ResultInformation result, Instant at) {

        String text() {
            return result == null ? failure : failure + ": " + result.code() + "/" + result.subCode() + " " + result.message();
        }
    }

    /** What a RecognizeCompleted recognized (tones, a chosen label, or speech with its confidence), by its event's id. */
    public record Input(String source, String eventId, String callConnectionId, io.callstream.events.acs.AcsEvent.RecognizeCompleted input,
                        Instant at) {
    }

    /** Records recognized inputs in {@code recognized_inputs}, in one JDBC batch; an event's input is stored once. */
    public void recordInputs(List<Input> inputs) {
        if (inputs.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                        insert into recognized_inputs (source, event_id, call_connection_id, operation_context, recognition_type,
                            tones, label, speech, confidence, recognized_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""", inputs, inputs.size(), (ps, i) -> {
                    var input = i.input();
                    ps.setString(1, i.source());
                    ps.setString(2, i.eventId());
                    ps.setString(3, i.callConnectionId());
                    ps.setString(4, input.operationContext());
                    ps.setString(5, input.recognitionType());
                    ps.setArray(6, input.tones() == null || input.tones().isEmpty() ? null
                            : ps.getConnection().createArrayOf("text", input.tones().toArray()));
                    ps.setString(7, input.label());
                    ps.setString(8, input.speech());
                    ps.setObject(9, input.confidence(), Types.NUMERIC);
                    ps.setTimestamp(10, ts(i.at()));
                });
    }

    /** The locale a transcription was started or updated with. */
    public void transcriptionLocale(String callConnectionId, String locale) {
        jdbc.sql("update calls set transcription_locale = ?, updated_at = now() where call_connection_id = ?")
                .params(locale, callConnectionId).update();
    }

    /** One continuously recognized DTMF tone of a leg, with the id of the event that carried it. */
    public record Tone(String callConnectionId, int sequenceId, String tone, Instant at, String eventId) {
    }

    /** Records tones in {@code dtmf_tones}, in one JDBC batch: once per (leg, sequenceId), the first kept. */
    public void recordTones(List<Tone> tones) {
        if (tones.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                        insert into dtmf_tones (call_connection_id, sequence_id, tone, received_at, event_id)
                        values (?, ?, ?, ?, ?) on conflict do nothing""", tones, tones.size(), (ps, t) -> {
                    ps.setString(1, t.callConnectionId());
                    ps.setInt(2, t.sequenceId());
                    ps.setString(3, t.tone());
                    ps.setTimestamp(4, ts(t.at()));
                    ps.setString(5, t.eventId());
                });
    }

    /** A transfer was accepted by ACS: a connected leg is transferring until CallTransferAccepted or CallTransferFailed. */
    public void transferring(String callConnectionId) {
        jdbc.sql("update calls set state = 'transferring', updated_at = now() where call_connection_id = ? and state = 'connected'")
                .param(callConnectionId).update();
    }

    /**
     * SyncCall: makes the leg's row and participants what ACS reports. A leg ACS reports
     * disconnected, or no longer knows, ends now; an ended leg stays ended.
     */
    public void reconcile(io.callstream.command.acs.AcsCallSnapshot snapshot, Instant now) {
        String leg = snapshot.callConnectionId();
        CallState before = lock(leg);
        boolean ended = before.isEnded() || "disconnected".equals(snapshot.callConnectionState());
        String state = ended ? "disconnected" : snapshot.callConnectionState() == null ? before.state() : snapshot.callConnectionState();
        save(new CallState(leg, before.serverCallId() != null ? before.serverCallId() : snapshot.serverCallId(),
                before.correlationId() != null ? before.correlationId() : snapshot.correlationId(), state,
                before.connectedAt() == null && "connected".equals(state) ? now : before.connectedAt(),
                ended && before.endedAt() == null ? now : before.endedAt(), before.endCode(), before.endSubCode(),
                ended && before.endReason() == null ? "SyncCall: ACS reports the call ended" : before.endReason(),
                before.participantsSequence()));
        Map<String, Participant> participants = participants(leg);
        var list = snapshot.participants().stream().map(p -> new io.callstream.events.acs.CallParticipant(
                new io.callstream.events.acs.Identifier(p.rawId(), p.kind()), p.isMuted(), p.isOnHold())).toList();
        Map<String, Participant> after = ended ? ParticipantProjection.legEnded(participants, now)
                : ParticipantProjection.evolve(participants, new io.callstream.events.acs.AcsEvent.ParticipantsUpdated(
                        new io.callstream.events.acs.CallIds(leg, null, null), null, null, null, list), now);
        saveParticipants(leg, participants, after);
    }

    /** The leg's participants by raw id (call under {@link #lock}). */
    public Map<String, Participant> participants(String callConnectionId) {
        return participants(List.of(callConnectionId)).get(callConnectionId);
    }

    /**
     * The legs' participants by raw id, in the order they joined, in one query (call under
     * {@link #lock}): one primary-key probe per leg, however many participants the table holds.
     *
     * <p>The legs are joined one by one ({@code lateral}, kept apart by {@code offset 0}) rather
     * than matched with {@code call_connection_id = any(?)}. Without statistics on
     * {@code participants} (a new database or a replay, until autovacuum first analyzes it),
     * PostgreSQL estimates the {@code any} form to match a fixed share of the table, and reads all
     * of it: in {@code make bench} that lookup grew to 5–10 ms a batch within a million events, the
     * projection's largest cost after the event log. {@code CallRepositoryPlansIntegrationTests}
     * checks the plan.
     *
     * @return for each leg asked for, its participants (empty when it has none)
     */
    public Map<String, Map<String, Participant>> participants(Collection<String> callConnectionIds) {
        Map<String, Map<String, Participant>> byLeg = new LinkedHashMap<>();
        callConnectionIds.forEach(leg -> byLeg.put(leg, new LinkedHashMap<>()));
        if (callConnectionIds.isEmpty()) {
            return byLeg;
        }
        jdbc.sql("""
                        select p.call_connection_id, p.raw_id, p.kind, p.joined_at, p.left_at, p.is_muted, p.is_on_hold
                        from unnest(?::text[]) as leg(call_connection_id)
                        cross join lateral (select * from participants
                                            where participants.call_connection_id = leg.call_connection_id offset 0) as p
                        order by p.call_connection_id, p.joined_at""")
                .param(callConnectionIds.toArray(String[]::new))
                .query((rs, n) -> {
                    Participant p = new Participant(rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5), rs.getBoolean(6),
                            rs.getBoolean(7));
                    byLeg.get(rs.getString(1)).put(p.rawId(), p);
                    return p;
                })
                .list();
        return byLeg;
    }

    /** Writes the rows of {@code after} that differ from {@code before}. */
    public void saveParticipants(String callConnectionId, Map<String, Participant> before, Map<String, Participant> after) {
        saveParticipants(Map.of(callConnectionId, before), Map.of(callConnectionId, after));
    }

    /**
     * Writes, for each leg of {@code after}, the participant rows that differ from the leg's in
     * {@code before}, all in one JDBC batch.
     */
    public void saveParticipants(Map<String, Map<String, Participant>> before, Map<String, Map<String, Participant>> after) {
        record Row(String callConnectionId, Participant participant) {
        }
        List<Row> changed = new ArrayList<>();
        after.forEach((leg, participants) -> participants.values().stream()
                .filter(p -> !p.equals(before.getOrDefault(leg, Map.of()).get(p.rawId())))
                .forEach(p -> changed.add(new Row(leg, p))));
        if (changed.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                        insert into participants (call_connection_id, raw_id, kind, joined_at, left_at, is_muted, is_on_hold)
                        values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (call_connection_id, raw_id) do update set kind = excluded.kind, joined_at = excluded.joined_at,
                            left_at = excluded.left_at, is_muted = excluded.is_muted, is_on_hold = excluded.is_on_hold, updated_at = now()""",
                changed, changed.size(), (ps, row) -> {
                    Participant p = row.participant();
                    ps.setString(1, row.callConnectionId());
                    ps.setString(2, p.rawId());
                    ps.setString(3, p.kind());
                    ps.setTimestamp(4, ts(p.joinedAt()));
                    ps.setTimestamp(5, ts(p.leftAt()));
                    ps.setBoolean(6, p.muted());
                    ps.setBoolean(7, p.onHold());
                });
    }

    private static CallState callState(ResultSet rs, int n) throws SQLException {
        return new CallState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5), instant(rs, 6),
                (Integer) rs.getObject(7), (Integer) rs.getObject(8), rs.getString(9), (Integer) rs.getObject(10));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** An instant as PostgreSQL reads a timestamptz, for the array parameters. */
    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
