package io.callstream.command.history;

import io.callstream.events.acs.AcsEvent;

import java.time.Instant;

/**
 * One ACS event as read from an event topic: its CloudEvents envelope, its typed record, its
 * untouched {@code data} JSON, and where it sits in the log.
 *
 * @param id the source event's id
 * @param source the CloudEvents source (Event Grid topic, or {@code calling/callConnections/…})
 * @param type the ACS type string
 * @param subject the CloudEvents subject, may be {@code null}
 * @param time the event's time, may be {@code null}
 * @param event the typed record
 * @param data the {@code data} object as JSON text
 * @param topic Kafka topic
 * @param partition Kafka partition
 * @param offset Kafka offset
 */
public record ReceivedEvent(String id, String source, String type, String subject, Instant time, AcsEvent event,
                            String data, String topic, int partition, long offset) {

    /** The event's time, or {@code fallback} when it has none. */
    public Instant timeOr(Instant fallback) {
        return time != null ? time : fallback;
    }

    /** The operationContext of a callback event, else {@code null}. */
    public String operationContext() {
        return event instanceof AcsEvent.CallbackEvent callback ? callback.operationContext() : null;
    }
}
