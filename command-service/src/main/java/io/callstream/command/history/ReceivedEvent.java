package io.callstream.command.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.callstream.events.acs.AcsEvent;
import io.callstream.events.acs.AcsEvents;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.support.serializer.SerializationUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    /** Reads exactly one JSON value: text after it is an error, as it is to PostgreSQL's {@code ::jsonb}. */
    private static final ObjectReader JSON = new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);
    private static final String NUL_ESCAPE = "\\u0000";


    /**
     * Reads a record of an event topic (a CloudEvent in Kafka's binary mode, its data ACS's JSON).
     *
     * @throws IllegalArgumentException when the record is not a readable CloudEvent with JSON data
     *     (one value, nothing after it), or when its data holds U+0000, which PostgreSQL's
     *     {@code jsonb} cannot store: such a record would fail its batch at every retry
     */
    public static ReceivedEvent from(ConsumerRecord<String, CloudEvent> record) {
        CloudEvent event = record.value();
        if (event == null) {
            var failure = SerializationUtils.getExceptionFromHeader(record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, null);
            throw new IllegalArgumentException("not a CloudEvent: " + (failure == null ? "empty record" : failure.getMessage()));
        }
        byte[] bytes = event.getData() == null ? EMPTY_OBJECT : event.getData().toBytes();
        String data = new String(bytes, StandardCharsets.UTF_8);
        JsonNode node;
        try {
            // Parsed from the bytes: Jackson's UTF-8 parser, without copying the text into chars first.
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("data is not JSON: " + e.getMessage(), e);
        }
        // JSON can carry U+0000 only escaped (backslash, u, four zeros), so data without that needs no walk.
        if (data.contains(NUL_ESCAPE) && holdsNul(node)) {
            throw new IllegalArgumentException("data holds U+0000, which PostgreSQL's jsonb cannot store");
        }
        return new ReceivedEvent(event.getId(), event.getSource().toString(), event.getType(), event.getSubject(),
                event.getTime() == null ? null : event.getTime().toInstant(), AcsEvents.fromData(event.getType(), node), data,
                record.topic(), record.partition(), record.offset());
    }

    private static boolean holdsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        for (var field : node.properties()) {
            if (field.getKey().indexOf('\0') >= 0 || holdsNul(field.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (holdsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The event's time, or {@code fallback} when it has none. */
    public Instant timeOr(Instant fallback) {
        return time != null ? time : fallback;
    }

    /** The operationContext of a callback event, else {@code null}. */
    public String operationContext() {
        return event instanceof AcsEvent.CallbackEvent callback ? callback.operationContext() : null;
    }
}
