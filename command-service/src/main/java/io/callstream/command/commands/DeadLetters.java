package io.callstream.command.commands;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Copies a record that cannot be used to {@code <topic>.DLT}, unchanged, with two headers:
 * {@code callstream.dlt.reason} (why, in words) and {@code callstream.dlt.source}
 * ({@code topic-partition@offset}). Waits for the broker's acknowledgement.
 */
@Component
public class DeadLetters {

    private final KafkaTemplate<String, byte[]> kafka;

    DeadLetters(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    /**
     * @param record the record, with a value the dead letter keeps as bytes (or {@code null})
     * @param reason why it cannot be used
     * @throws IllegalStateException when the broker does not acknowledge within 30 s
     */
    public void send(ConsumerRecord<String, ?> record, String reason) {
        send(record, record.value() instanceof byte[] bytes ? bytes : null, reason);
    }

    /**
     * @param value the record's original bytes, when the caller has them (an undeserializable record's raw value)
     */
    public void send(ConsumerRecord<String, ?> record, byte[] value, String reason) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(record.topic() + ".DLT", record.key(), value);
        record.headers().forEach(h -> dead.headers().add(h));
        dead.headers().add("callstream.dlt.reason", (reason == null ? "" : reason).getBytes(StandardCharsets.UTF_8));
        dead.headers().add("callstream.dlt.source", (record.topic() + "-" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        try {
            kafka.send(dead).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("dead-letter publish failed for " + record.topic() + "-" + record.partition() + "@" + record.offset(), e);
        }
    }
}
