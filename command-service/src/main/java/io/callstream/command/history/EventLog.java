package io.callstream.command.history;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

import java.sql.PreparedStatement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code call_events}: every distinct ACS event once, keyed by (source, id, type). The insert is
 * the projections' idempotence check: an event already there is a redelivery and changes nothing.
 * A batch of events is inserted by one statement: its columns go as arrays, unnested server-side,
 * and {@code on conflict do nothing returning} names the rows that were new: one execution for the
 * batch where a JDBC batch executes each row on its own.
 */
@Repository
class EventLog {

    private static final String INSERT = """
            insert into call_events (source, event_id, event_type, subject, event_time, call_connection_id,
                server_call_id, correlation_id, operation_context, kafka_topic, kafka_partition, kafka_offset, payload)
            select source, event_id, event_type, subject, event_time, call_connection_id, server_call_id, correlation_id,
                operation_context, kafka_topic, kafka_partition, kafka_offset, payload::jsonb
            from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::int[], ?::bigint[], ?::text[])
                as e(source, event_id, event_type, subject, event_time, call_connection_id, server_call_id, correlation_id,
                     operation_context, kafka_topic, kafka_partition, kafka_offset, payload)
            on conflict (source, event_id, event_type) do nothing
            returning source, event_id, event_type""";

    /** The key of a row, as the insert returns it. */
    private record Key(String source, String id, String type) {
    }

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
        int n = events.size();
        // The text columns 1-10 in statement order; partition, offset and payload are columns 11-13.
        String[][] text = new String[10][n];
        String[] payloads = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] offsets = new Long[n];
        for (int i = 0; i < n; i++) {
            ReceivedEvent e = events.get(i);
            var ids = e.event().ids();
            text[0][i] = e.source();
            text[1][i] = e.id();
            text[2][i] = e.type();
            text[3][i] = e.subject();
            text[4][i] = e.time() == null ? null : e.time().toString();
            text[5][i] = ids.callConnectionId();
            text[6][i] = ids.serverCallId();
            text[7][i] = ids.correlationId();
            text[8][i] = e.operationContext();
            text[9][i] = e.topic();
            payloads[i] = e.data();
            partitions[i] = e.partition();
            offsets[i] = e.offset();
        }
        Set<Key> inserted = new HashSet<>();
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(INSERT);
            for (int column = 0; column < text.length; column++) {
                statement.setArray(column + 1, connection.createArrayOf("text", text[column]));
            }
            statement.setArray(11, connection.createArrayOf("int4", partitions));
            statement.setArray(12, connection.createArrayOf("int8", offsets));
            statement.setArray(13, connection.createArrayOf("text", payloads));
            return statement;
        }, (RowCallbackHandler) rs -> inserted.add(new Key(rs.getString(1), rs.getString(2), rs.getString(3))));
        boolean[] fresh = new boolean[n];
        for (int i = 0; i < n; i++) {
            // Within the batch only the first of equal events was inserted; remove() leaves the others duplicates.
            fresh[i] = inserted.remove(new Key(text[0][i], text[1][i], text[2][i]));
        }
        return fresh;
    }
}
