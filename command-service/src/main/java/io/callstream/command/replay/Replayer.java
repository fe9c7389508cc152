package io.callstream.command.replay;

import io.callstream.command.commands.CommandHandler;
import io.callstream.command.history.CallHistoryProjector;
import io.callstream.command.history.ReceivedEvent;
import io.callstream.events.Topics;
import io.callstream.events.commands.CallCommand;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.Commands;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Rebuilds every projection from the log ({@code make replay}): reads {@code calls.commands},
 * {@code calls.command-results}, {@code acs.eventgrid} and {@code acs.callbacks} from offset 0 up
 * to their end offsets at the start, merged in the order the live service applied them (a
 * result's own time, another record's timestamp), and applies each record with the live code into the fresh schema
 * {@code callstream.replay.schema}, which Flyway created. Events go through the same projector
 * as live, in batches of up to 500; a command record is claimed (or rejected) as live; a result
 * records what ACS answered. Nothing calls ACS and nothing is published.
 *
 * <p>Then, unless {@code callstream.replay.swap=false}, one transaction renames the live schema
 * to {@code <live>_before_<schema>} and the rebuilt one to the live name. The live consumer
 * group's offsets are left as they are: what it had not consumed yet it consumes when the service
 * starts again, and the projections are idempotent.
 *
 * @see Replay
 */
@Component
@ConditionalOnProperty("callstream.replay.schema")
public class Replayer {

    private static final Logger log = LoggerFactory.getLogger(Replayer.class);
    private static final List<String> TOPICS = List.of(Topics.CALLS_COMMANDS, Topics.COMMAND_RESULTS, Topics.ACS_EVENTGRID, Topics.ACS_CALLBACKS);
    private static final int EVENT_BATCH = 500;
    private static final int BUFFERED_PER_PARTITION = 2_000;

    /**
     * A record read ahead, with when the live service applied it ({@link #when}) and, for a
     * result record, the result (read once; empty when unreadable).
     */
    private record Timed(ConsumerRecord<String, byte[]> record, long when, Optional<CommandResult> result) {
    }

    /** What a replay read and wrote. */
    public record Report(String schema, Map<String, Long> recordsByTopic, long unreadable, Map<String, Long> rowsByTable,
                         String previousSchema) {

        /** Whether the rebuilt schema replaced the live one ({@link #previousSchema} then holds the old one). */
        public boolean swapped() {
            return previousSchema != null;
        }
    }

    private final ReplayProperties properties;
    private final KafkaProperties kafka;
    private final CallHistoryProjector projector;
    private final CommandHandler commands;
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final CloudEventDeserializer cloudEvents = new CloudEventDeserializer();

    Replayer(ReplayProperties properties, KafkaProperties kafka, CallHistoryProjector projector, CommandHandler commands,
             TransactionTemplate tx, JdbcTemplate jdbc) {
        this.properties = properties;
        this.kafka = kafka;
        this.projector = projector;
        this.commands = commands;
        this.tx = tx;
        this.jdbc = jdbc;
    }

    /**
     * Rebuilds, then swaps if configured.
     *
     * @throws IllegalStateException when command-service is still consuming (its group has members):
     *     every instance must be stopped first, or the swap would lose what they project meanwhile
     */
    public Report run() {
        String group = kafka.getConsumer().getGroupId();
        int members = liveMembers(group);
        if (members > 0) {
            throw new IllegalStateException("command-service is running (" + members + " consumers in group " + group
                    + "); stop every instance before a replay");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        TOPICS.forEach(t -> counts.put(t, 0L));
        long unreadable = replayLog(counts);
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : List.of("call_events", "calls", "participants", "commands", "recordings", "dtmf_tones", "recognized_inputs")) {
            rows.put(table, jdbc.queryForObject("select count(*) from " + table, Long.class));
        }
        String previous = properties.swap() ? swap() : null;
        return new Report(properties.schema(), counts, unreadable, rows, previous);
    }

    private int liveMembers(String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers())))) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw new IllegalStateException("cannot tell whether command-service is running: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads the four topics to their end offsets, merged by timestamp, and applies every record. */
    private long replayLog(Map<String, Long> counts) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000);
        long unreadable = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, ArrayDeque<Timed>> buffers = new HashMap<>();
            partitions.forEach(p -> buffers.put(p, new ArrayDeque<>()));
            Map<String, CallCommand> commandsById = new HashMap<>();
            List<ReceivedEvent> events = new ArrayList<>();
            log.info("replaying {} into schema {}", ends, properties.schema());
            while (true) {
                List<TopicPartition> open = partitions.stream()
                        .filter(p -> !buffers.get(p).isEmpty() || consumer.position(p) < ends.get(p)).toList();
                if (open.isEmpty()) {
                    break;
                }
                if (open.stream().anyMatch(p -> buffers.get(p).isEmpty())) {
                    List<TopicPartition> full = open.stream().filter(p -> buffers.get(p).size() >= BUFFERED_PER_PARTITION).toList();
                    consumer.pause(full);
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                        if (record.offset() < ends.get(partition)) {
                            buffers.get(partition).add(timed(record));
                        }
                    }
                    consumer.resume(full);
                    continue;
                }
                // Every open partition has a record at hand: apply the oldest.
                TopicPartition next = open.stream().min(Comparator.comparingLong((TopicPartition p) -> buffers.get(p).peek().when())
                        .thenComparing(p -> TOPICS.indexOf(p.topic()))).orElseThrow();
                Timed timed = buffers.get(next).poll();
                ConsumerRecord<String, byte[]> record = timed.record();
                counts.merge(record.topic(), 1L, Long::sum);
                if (record.topic().equals(Topics.ACS_EVENTGRID) || record.topic().equals(Topics.ACS_CALLBACKS)) {
                    Optional<ReceivedEvent> event = event(record);
                    if (event.isEmpty()) {
                        unreadable++;
                        continue;
                    }
                    events.add(event.get());
                    if (events.size() == EVENT_BATCH) {
                        project(events);
                    }
                    continue;
                }
                project(events);
                if (record.topic().equals(Topics.CALLS_COMMANDS)) {
                    tx.executeWithoutResult(s -> commands.replayCommand(record).ifPresent(c -> commandsById.putIfAbsent(c.commandId(), c)));
                } else {
                    Optional<CommandResult> result = timed.result();
                    if (result.isEmpty()) {
                        unreadable++;
                        continue;
                    }
                    CallCommand command = commandsById.get(result.get().commandId());
                    if (command != null) {
                        tx.executeWithoutResult(s -> commands.replayResult(command, result.get()));
                    }
                }
            }
            project(events);
        }
        return unreadable;
    }

    private void project(List<ReceivedEvent> events) {
        if (!events.isEmpty()) {
            tx.executeWithoutResult(s -> projector.project(events));
            events.clear();
        }
    }

    /** The record as the live listener reads it; empty for what the live listener dead-letters. */
    private Optional<ReceivedEvent> event(ConsumerRecord<String, byte[]> record) {
        try {
            CloudEvent event = cloudEvents.deserialize(record.topic(), record.headers(), record.value());
            return Optional.of(ReceivedEvent.from(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.key(), event)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A record with when the live service applied it, as near as the log tells: a result was
     * recorded at its own {@code time} (in the transaction it reports, before the outbox relay
     * published it); a command or an event was applied as it arrived, at its record timestamp.
     */
    private static Timed timed(ConsumerRecord<String, byte[]> record) {
        if (!record.topic().equals(Topics.COMMAND_RESULTS)) {
            return new Timed(record, record.timestamp(), Optional.empty());
        }
        Optional<CommandResult> result = result(record);
        long when = result.map(CommandResult::time).map(java.time.Instant::toEpochMilli).orElse(record.timestamp());
        return new Timed(record, when, result);
    }

    /** A result record; empty for one that is not a result (no command depends on it). */
    private static Optional<CommandResult> result(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(Commands.readResult(record.value()));
        } catch (RuntimeException e) {
            log.warn("skipping unreadable result at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Renames the live schema aside and the rebuilt one into its place, in one transaction; returns the old one's new name. */
    private String swap() {
        String live = properties.liveSchema();
        String rebuilt = properties.schema();
        String before = live + "_before_" + rebuilt;
        tx.executeWithoutResult(s -> {
            jdbc.execute("alter schema " + quote(live) + " rename to " + quote(before));
            jdbc.execute("alter schema " + quote(rebuilt) + " rename to " + quote(live));
        });
        log.info("schema {} is now {}; the previous projections are in {}", rebuilt, live, before);
        return before;
    }

    private static String quote(String identifier) {
        if (!identifier.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain schema name: " + identifier);
        }
        return identifier;
    }
}
