package io.callstream.command.history;

import io.callstream.command.commands.DeadLetters;
import io.callstream.command.commands.ResultPublisher;
import io.callstream.events.Topics;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes {@code acs.eventgrid} and {@code acs.callbacks} in batches. Each batch is projected
 * in one PostgreSQL transaction, together with the outbox rows of the command results it causes
 * ({@link ResultPublisher}); offsets are committed only after that transaction. A failure retries the
 * whole batch (the projections are idempotent). A record that is not a readable CloudEvent, or
 * whose data is not one JSON value that PostgreSQL's {@code jsonb} can store, goes to
 * {@code <topic>.DLT} with the reason in its headers, and the batch carries on.
 */
@Component
class EventListener {

    private static final Logger log = LoggerFactory.getLogger(EventListener.class);

    private final CallHistoryProjector projector;
    private final ResultPublisher results;
    private final TransactionTemplate tx;
    private final DeadLetters deadLetters;

    EventListener(CallHistoryProjector projector, ResultPublisher results, TransactionTemplate tx, DeadLetters deadLetters) {
        this.projector = projector;
        this.results = results;
        this.tx = tx;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(topics = {Topics.ACS_EVENTGRID, Topics.ACS_CALLBACKS}, containerFactory = "eventBatchListenerFactory")
    void onEvents(List<ConsumerRecord<String, CloudEvent>> records) {
        List<ReceivedEvent> batch = new ArrayList<>(records.size());
        for (ConsumerRecord<String, CloudEvent> record : records) {
            try {
                batch.add(ReceivedEvent.from(record));
            } catch (RuntimeException e) {
                deadLetter(record, e.getMessage());
            }
        }
        tx.executeWithoutResult(status -> results.publish(projector.project(batch)));
    }

    private void deadLetter(ConsumerRecord<String, CloudEvent> record, String reason) {
        log.error("event at {}-{}@{} cannot be projected, sent to {}.DLT: {}", record.topic(), record.partition(), record.offset(),
                record.topic(), reason);
        var failure = SerializationUtils.getExceptionFromHeader(record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, null);
        deadLetters.send(record, failure != null ? failure.getData() : dataOf(record.value()), reason);
    }

    /**
     * A readable CloudEvent's data bytes: the record's value as it came, since command-service reads
     * only Kafka's binary mode (which ingress writes; the headers carry the rest). A structured-mode
     * record fails to deserialize, and the deserializer's failure keeps its bytes.
     */
    private static byte[] dataOf(CloudEvent event) {
        return event == null || event.getData() == null ? null : event.getData().toBytes();
    }
}
