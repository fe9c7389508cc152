package io.callstream.command.recordings;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * {@code recordings}: one row per recordingId. Its state is {@code active}, {@code paused} or
 * {@code inactive}: ACS reports a pause as RecordingStateChanged {@code inactive}, so a pause
 * requested by PauseRecording keeps the row {@code paused} until a resume or a stop.
 */
@Repository
public class RecordingRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    RecordingRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** A recording ACS started for a StartRecording command. */
    public void started(String recordingId, String serverCallId, String commandId, String state, String contentType,
                        String channelType, String formatType, Instant at) {
        jdbc.sql("""
                        insert into recordings (recording_id, server_call_id, start_command_id, state, content_type, channel_type,
                            format_type, started_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (recording_id) do update set server_call_id = coalesce(recordings.server_call_id, excluded.server_call_id),
                            start_command_id = excluded.start_command_id, content_type = excluded.content_type,
                            channel_type = excluded.channel_type, format_type = excluded.format_type, updated_at = now()""")
                .params(recordingId, serverCallId, commandId, state, contentType, channelType, formatType, Timestamp.from(at)).update();
    }

    /**
     * A pause, resume or stop ACS accepted: {@code paused}, {@code active} or {@code inactive}. A
     * stopped recording stays stopped; its {@code stopped_at} is the earliest stop callstream
     * learnt of, from this or from {@link #filesReady}, whichever came first (so a replay, which
     * may meet them in the other order, writes the same).
     */
    public void requested(String recordingId, String state, Instant at) {
        jdbc.sql("""
                        update recordings set state = case when state = 'inactive' then state else ? end,
                            stopped_at = case when ? = 'inactive' then least(stopped_at, ?) else stopped_at end,
                            updated_at = now()
                        where recording_id = ?""")
                .params(state, state, Timestamp.from(at), recordingId).update();
    }

    /** A RecordingStateChanged: the recording's new state ({@code active} or {@code inactive}) at the event's time. */
    public record StateChange(String recordingId, String serverCallId, String callConnectionId, String state, Instant at) {
    }

    /**
     * RecordingStateChanged, in one JDBC batch and in order: {@code active} makes a row active
     * (unless stopped); {@code inactive} leaves a paused row paused and makes any other inactive.
     * A recording not seen before gets its row.
     */
    public void stateChanged(List<StateChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                        insert into recordings (recording_id, server_call_id, call_connection_id, state, started_at)
                        values (?, ?, ?, ?, ?) on conflict (recording_id) do update set
                            call_connection_id = coalesce(recordings.call_connection_id, excluded.call_connection_id),
                            server_call_id = coalesce(recordings.server_call_id, excluded.server_call_id),
                            state = case when recordings.state = 'inactive' and recordings.stopped_at is not null then recordings.state
                                         when excluded.state = 'inactive' and recordings.state = 'paused' then 'paused'
                                         else excluded.state end,
                            updated_at = now()""", changes, changes.size(), (ps, c) -> {
                    ps.setString(1, c.recordingId());
                    ps.setString(2, c.serverCallId());
                    ps.setString(3, c.callConnectionId());
                    ps.setString(4, c.state());
                    ps.setTimestamp(5, Timestamp.from(c.at()));
                });
    }

    /** RecordingFileStatusUpdated: the files are ready. */
    public void filesReady(String recordingId, Long durationMs, String sessionEndReason, List<String> contentLocations, Instant at) {
        jdbc.sql("""
                        insert into recordings (recording_id, state) values (?, 'inactive') on conflict do nothing""")
                .param(recordingId).update();
        jdbc.sql("""
                        update recordings set duration_ms = ?, session_end_reason = ?, content_locations = ?, files_ready_at = ?,
                            state = 'inactive', stopped_at = least(stopped_at, ?), updated_at = now()
                        where recording_id = ?""")
                .params(durationMs, sessionEndReason, contentLocations.toArray(String[]::new), Timestamp.from(at), Timestamp.from(at), recordingId)
                .update();
    }
}
