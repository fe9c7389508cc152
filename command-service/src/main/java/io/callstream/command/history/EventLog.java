package io.callstream.command.history;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.util.List;

/**
 * {@code call_events}: every distinct ACS event once, keyed by (source, id, type). The insert is
 * the projections' idempotence check: an event already there is a redelivery and changes nothing.
 * A batch of events is inserted in one JDBC batch; PostgreSQL reports per row whether it was new
 * ({@code on conflict do nothing} counts 0 for a duplicate).
 */
@Repository
class EventLog {

    private static final String INSERT = """
            insert into call_events (source, event_id, event_type, subject, event_time, call_connection_id,
                server_call_id, correlation_id, operation_context, kafka_topic, kafka_partition, kafka_offset, payload)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))
            on conflict (source, event_id, event_type) do nothing""";

    private final JdbcTemplate jdbc;

    EventLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the events that are not stored yet, in order.
     *
     * @return for each event, {@code true} when it is new (project it), {@code false} for a
     *     duplicate, also of an earlier event in the same batch
     */
    boolean[] append(List<ReceivedEvent> events) {
        if (events.isEmpty()) {
            return new boolean[0];
        }
        int[] counts = jdbc.batchUpdate(INSERT, events, events.size(), (statement, e) -> {
            var ids = e.event().ids();
            statement.setString(1, e.source());
            statement.setString(2, e.id());
            statement.setString(3, e.type());
            statement.setString(4, e.subject());
            statement.setTimestamp(5, e.time() == null ? null : Timestamp.from(e.time()));
            statement.setString(6, ids.callConnectionId());
            statement.setString(7, ids.serverCallId());
            statement.setString(8, ids.correlationId());
            statement.setString(9, e.operationContext());
            statement.setString(10, e.topic());
            statement.setInt(11, e.partition());
            statement.setLong(12, e.offset());
            statement.setString(13, e.data());
        })[0];
        boolean[] fresh = new boolean[events.size()];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalStateException("the JDBC driver did not report per-row counts; reWriteBatchedInserts must stay off");
            }
            fresh[i] = counts[i] == 1;
        }
        return fresh;
    }
}
