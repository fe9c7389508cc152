package io.callstream.command.system;

import io.callstream.command.replay.ReplayProperties;
import io.callstream.events.Topics;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

import java.time.Duration;
import java.util.Map;

/**
 * command-service's Kafka wiring, in one place: the topics it creates (the log kept forever by
 * default, so that {@code make replay} can rebuild from offset 0; dead letters for 30 days), the batch consumers of the
 * event topics (CloudEvents, binary mode; {@code EVENT_CONSUMERS} per instance), the record consumers of commands (several per
 * instance, few records per poll, a poll interval long enough for ACS's retries), and the error
 * handling: a failed batch is retried with exponential backoff (1 s up to 30 s, without end, so a
 * PostgreSQL outage pauses consumption instead of losing events). A replay starts no consumer.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    /** Commands fetched per poll: few, since each may wait on ACS. */
    private static final int COMMANDS_PER_POLL = 10;

    @Bean
    KafkaAdmin.NewTopics callstreamTopics(CommandServiceProperties properties) {
        int partitions = properties.kafka().partitions();
        short replicas = properties.kafka().replicationFactor();
        String log = String.valueOf(properties.kafka().logRetention().isNegative() ? -1 : properties.kafka().logRetention().toMillis());
        String deadLetters = String.valueOf(properties.kafka().deadLetterRetention().toMillis());
        return new KafkaAdmin.NewTopics(
                topic(Topics.ACS_EVENTGRID, partitions, replicas, log), topic(Topics.ACS_CALLBACKS, partitions, replicas, log),
                topic(Topics.CALLS_COMMANDS, partitions, replicas, log), topic(Topics.COMMAND_RESULTS, partitions, replicas, log),
                topic(Topics.ACS_EVENTGRID + ".DLT", 1, replicas, deadLetters), topic(Topics.ACS_CALLBACKS + ".DLT", 1, replicas, deadLetters),
                topic(Topics.CALLS_COMMANDS + ".DLT", 1, replicas, deadLetters));
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, CloudEvent> eventBatchListenerFactory(KafkaProperties kafka, ReplayProperties replay,
                                                                                        CommandServiceProperties properties) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        config.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, CloudEventDeserializer.class);
        var factory = new ConcurrentKafkaListenerContainerFactory<String, CloudEvent>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(config));
        factory.setBatchListener(true);
        factory.setConcurrency(properties.kafka().eventConcurrency());
        factory.setAutoStartup(!replay.replaying());
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        factory.setCommonErrorHandler(retryForever());
        return factory;
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> commandListenerFactory(KafkaProperties kafka, CommandServiceProperties properties,
                                                                               ReplayProperties replay) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, COMMANDS_PER_POLL);
        // A poll's commands may all wait out ACS's retries; the group must not evict the consumer meanwhile.
        Duration worstPoll = properties.acs().worstCase().multipliedBy(COMMANDS_PER_POLL).plusMinutes(1);
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(Duration.ofMinutes(5).toMillis(), worstPoll.toMillis()));
        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(config));
        factory.setConcurrency(properties.kafka().commandConcurrency());
        factory.setAutoStartup(!replay.replaying());
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        factory.setCommonErrorHandler(retryForever());
        return factory;
    }

    private static DefaultErrorHandler retryForever() {
        ExponentialBackOff backOff = new ExponentialBackOff(1_000, 2);
        backOff.setMaxInterval(30_000);
        return new DefaultErrorHandler(backOff);
    }

    /**
     * A topic that deletes by age, never compacts: every record is a fact (an event, a command, a
     * result) that {@code make replay} needs, and compaction would keep only the last per key
     * (a command's {@code completed} without the {@code accepted} that carries its ids).
     */
    private static NewTopic topic(String name, int partitions, short replicas, String retentionMs) {
        return TopicBuilder.name(name).partitions(partitions).replicas(replicas)
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
                .config(TopicConfig.RETENTION_MS_CONFIG, retentionMs)
                .build();
    }
}
