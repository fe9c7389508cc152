package io.callstream.command.history;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;

/**
 * {@code call_events}: every distinct ACS event once, keyed by (source, id, type). The insert is
 * the projections' idempotence check: an event already there is a redelivery and changes nothing.
 */
@Repository
class EventLog {

    private final JdbcClient jdbc;

    EventLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores an event unless it is already stored.
     *
     * @return {@code true} when it is new (project it), {@code false} for a duplicate
     */
    boolean append(ReceivedEvent e) {
        var ids = e.event().ids();
        return jdbc.sql("""
                        insert into call_events (source, event_id, event_type, subject, event_time, call_connection_id,
                            server_call_id, correlation_id, operation_context, kafka_topic, kafka_partition, kafka_offset, payload)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))
                        on conflict (source, event_id, event_type) do nothing""")
                .params(e.source(), e.id(), e.type(), e.subject(), e.time() == null ? null : Timestamp.from(e.time()),
                        ids.callConnectionId(), ids.serverCallId(), ids.correlationId(), e.operationContext(),
                        e.topic(), e.partition(), e.offset(), e.data())
                .update() == 1;
    }
}
