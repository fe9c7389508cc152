package io.callstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.callstream.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A user's routing service, as its own process (the bench's JVM, with its own heap and threads,
 * must not be part of what time to answer measures): it publishes AnswerCall on
 * {@code calls.commands} for every IncomingCall on {@code acs.eventgrid} from now on.
 * <p>
 * Settings (environment): {@code KAFKA_BOOTSTRAP_SERVERS}; {@code SUBSCRIBER_OUT}, a file that gets
 * the line {@code ready} once the subscriber reads from the topic's end, then one line per
 * answered call: {@code serverCallId commandId recordTimestamp received published} (the IncomingCall
 * record's Kafka timestamp, when this process got it and when it handed AnswerCall to the
 * producer, as ISO-8601 instants). Runs until killed.
 */
public final class AnsweringSubscriber {

    private AnsweringSubscriber() {
    }

    public static void main(String[] args) throws IOException {
        String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        Path out = Path.of(System.getenv("SUBSCRIBER_OUT"));
        Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
             PrintWriter lines = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8), true)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ACS_EVENTGRID).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            lines.println("ready");
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    var type = record.headers().lastHeader("ce_type");
                    if (type == null || !new String(type.value(), StandardCharsets.UTF_8).equals("Microsoft.Communication.IncomingCall")) {
                        continue;
                    }
                    Instant received = Instant.now();
                    JsonNode data = Bench.json(new String(record.value(), StandardCharsets.UTF_8));
                    String commandId = "answer-" + UUID.randomUUID();
                    producer.send(new ProducerRecord<>(Topics.CALLS_COMMANDS, commandId,
                            "{\"type\":\"AnswerCall\",\"commandId\":\"%s\",\"incomingCallContext\":\"%s\"}".formatted(commandId,
                                    data.path("incomingCallContext").asText())));
                    lines.println(String.join(" ", data.path("serverCallId").asText(), commandId,
                            Instant.ofEpochMilli(record.timestamp()).toString(), received.toString(), Instant.now().toString()));
                }
            }
        }
    }
}
