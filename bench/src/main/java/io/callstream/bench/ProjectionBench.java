package io.callstream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.e2e.processes.ChildProcess;
import io.callstream.e2e.processes.ProcessStack;
import io.callstream.events.CloudEventExtensions;
import io.callstream.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Projection throughput: preloads {@code N} callback events onto {@code acs.callbacks} (copies of
 * the records ingress itself wrote during the ingress bench, each with its own id, eight events
 * per call, each call with its own callConnectionId, serverCallId, correlationId and recordingId),
 * times a fresh command-service from its first commit until it has committed them all, and then
 * times the same rows written by plain JDBC batched inserts
 * ({@code INSERT … ON CONFLICT DO NOTHING}, 500 per batch and transaction, like one poll) and by
 * {@code COPY} into tables shaped like {@code call_events}.
 */
final class ProjectionBench {

    private static final int EVENTS_PER_CALL = 8;
    private static final String COLUMNS = "source, event_id, event_type, subject, event_time, call_connection_id, server_call_id, "
            + "correlation_id, operation_context, kafka_topic, kafka_partition, kafka_offset, payload";

    /**
     * A record ingress wrote, to copy: its headers and data, and the call id its source and subject
     * name. The copies get their own ids in the data's fields ({@link #PER_CALL}) and in the
     * matching CloudEvents extensions, not by replacing text: some fixtures' ids are placeholders
     * such as {@code callConnectionId} or {@code REDACTED}, which also occur as field names or in other fields.
     */
    record Template(String type, String source, String subject, String time, String callConnectionId, List<Header> headers,
                    ObjectNode data) {
    }

    /** The data fields that name a call or its recording, which each copied call gets its own value of. */
    private static final List<String> PER_CALL = List.of("callConnectionId", "serverCallId", "correlationId", "recordingId");

    private final ProcessStack stack;
    private final Report report;
    private final String run;

    ProjectionBench(ProcessStack stack, Report report, Path workDir) {
        this(stack, report, Long.toString(System.currentTimeMillis(), 36));
    }

    /** With {@code run} in every copied id, so that runs on one stack never collide. */
    ProjectionBench(ProcessStack stack, Report report, String run) {
        this.stack = stack;
        this.report = report;
        this.run = run;
    }

    void run(long events) throws Exception {
        List<Template> templates = templates();
        try (Admin admin = Bench.admin(stack)) {
            Map<TopicPartition, Long> before = Bench.eventTopicEnds(admin);
            System.out.printf("▶ projection: preloading %,d events (%d kinds) onto %s%n", events, templates.size(), Topics.ACS_CALLBACKS);
            Instant preloadStart = Instant.now();
            preload(templates, events);
            report.note("Preloading %,d events took %d s (producer, acks=all).".formatted(events,
                    Duration.between(preloadStart, Instant.now()).toSeconds()));

            String group = Bench.newGroup("projection");
            Bench.setOffsets(admin, group, before);
            long base = before.values().stream().mapToLong(Long::longValue).sum();
            ChildProcess projector = stack.extraCommandService("command-service-projection", Map.of("KAFKA_GROUP_ID", group));
            Instant started = Instant.now();
            projector.start();
            Bench.Progress progress = Bench.awaitCommitted(admin, group, base, events, Duration.ofMinutes(20), () -> { });
            Duration cpu = projector.cpuTime();
            projector.stop();
            double ours = progress.perSecond();
            Instant finished = progress.finished();
            report.line("projection: command-service, %,d events".formatted(events), "%,.0f events/s (%d s from start, CPU %d s)".formatted(ours,
                    Duration.between(started, finished).toSeconds(), cpu.toSeconds()), "", null);

            System.out.println("▶ projection references: JDBC batched insert and COPY of the same rows");
            double jdbc = jdbcBatches(templates, events);
            report.line("reference: JDBC batched INSERT … ON CONFLICT DO NOTHING", "%,.0f rows/s".formatted(jdbc), "", null);
            double copy = copy(templates, events);
            report.line("reference: COPY", "%,.0f rows/s".formatted(copy), "", null);
            report.line("projection ÷ JDBC batched insert", "%.2f×".formatted(ours / jdbc), "≥ 1.0×", ours / jdbc >= 1.0);
            report.line("projection ÷ COPY", "%.2f×".formatted(ours / copy), "", null);
        }
    }

    /** One record of each event type ingress wrote to acs.callbacks during the ingress bench. */
    private List<Template> templates() throws IOException {
        Map<String, Template> byType = new LinkedHashMap<>();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ACS_CALLBACKS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plusSeconds(20);
            while (byType.size() < 20 && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String type = header(record.headers().lastHeader("ce_type"));
                    String callConnectionId = header(record.headers().lastHeader("ce_" + CloudEventExtensions.CALL_CONNECTION_ID));
                    if (type != null && callConnectionId != null && !byType.containsKey(type)) {
                        List<Header> headers = new ArrayList<>();
                        record.headers().forEach(headers::add);
                        byType.put(type, new Template(type, header(record.headers().lastHeader("ce_source")),
                                header(record.headers().lastHeader("ce_subject")), header(record.headers().lastHeader("ce_time")),
                                callConnectionId, headers, (ObjectNode) Bench.json(new String(record.value(), StandardCharsets.UTF_8))));
                    }
                }
            }
        }
        if (byType.isEmpty()) {
            throw new IllegalStateException("ingress wrote no callback with a callConnectionId to copy");
        }
        return List.copyOf(byType.values());
    }

    private static String header(Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private String eventId(long i) {
        return "bench-" + run + "-" + i;
    }

    private String callOf(long i) {
        return "bench-call-" + run + "-" + (i / EVENTS_PER_CALL);
    }

    /** Event {@code i}'s value of a {@link #PER_CALL} field: the same for the eight events of one call. */
    private String idOf(String field, long i) {
        return field.equals("callConnectionId") ? callOf(i) : "bench-" + field + "-" + run + "-" + (i / EVENTS_PER_CALL);
    }

    /** Event {@code i}'s data: the template's, with its call's own ids. */
    ObjectNode dataOf(Template t, long i) {
        ObjectNode data = t.data().deepCopy();
        for (String field : PER_CALL) {
            if (data.hasNonNull(field)) {
                data.put(field, idOf(field, i));
            }
        }
        return data;
    }

    /** A copy's CloudEvents header value: its own id, its call's ids in the id extensions, its call in source and subject. */
    String headerOf(Template t, Header h, ObjectNode data, long i) {
        String value = new String(h.value(), StandardCharsets.UTF_8);
        return switch (h.key()) {
            case "ce_id" -> eventId(i);
            case "ce_" + CloudEventExtensions.CALL_CONNECTION_ID -> callOf(i);
            case "ce_" + CloudEventExtensions.SERVER_CALL_ID -> data.path("serverCallId").asText(value);
            case "ce_" + CloudEventExtensions.CORRELATION_ID -> data.path("correlationId").asText(value);
            case "ce_source", "ce_subject" -> value.replace("/" + t.callConnectionId(), "/" + callOf(i));
            default -> value;
        };
    }

    /** Preloads {@code events} more copies of what ingress wrote (new ids and calls) onto acs.callbacks. */
    void preload(long events) throws IOException {
        preload(templates(), events);
    }

    private void preload(List<Template> templates, long events) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < events; i++) {
                Template t = templates.get((int) (i % templates.size()));
                ObjectNode data = dataOf(t, i);
                List<Header> headers = new ArrayList<>();
                for (Header h : t.headers()) {
                    headers.add(new RecordHeader(h.key(), headerOf(t, h, data, i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.send(new ProducerRecord<>(Topics.ACS_CALLBACKS, null, callOf(i).getBytes(StandardCharsets.UTF_8),
                        data.toString().getBytes(StandardCharsets.UTF_8), headers));
            }
            producer.flush();
        }
    }

    /** The row the projector writes for event {@code i}, as COPY's CSV fields. */
    String[] row(List<Template> templates, long i) {
        Template t = templates.get((int) (i % templates.size()));
        String call = callOf(i);
        ObjectNode data = dataOf(t, i);
        return new String[] {t.source().replace("/" + t.callConnectionId(), "/" + call), eventId(i), t.type(),
                t.subject() == null ? null : t.subject().replace("/" + t.callConnectionId(), "/" + call), t.time(), call,
                text(data, "serverCallId"), text(data, "correlationId"), text(data, "operationContext"),
                Topics.ACS_CALLBACKS, "0", String.valueOf(i), data.toString()};
    }

    private static String text(ObjectNode data, String field) {
        return data.hasNonNull(field) ? data.get(field).asText() : null;
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), "callstream", "callstream");
    }

    private double jdbcBatches(List<Template> templates, long events) throws SQLException {
        try (Connection db = database()) {
            try (Statement ddl = db.createStatement()) {
                ddl.execute("drop table if exists bench_jdbc");
                ddl.execute("create table bench_jdbc (like call_events including all)");
            }
            db.setAutoCommit(false);
            Instant start = Instant.now();
            try (PreparedStatement insert = db.prepareStatement("insert into bench_jdbc (" + COLUMNS + ") values "
                    + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb)) on conflict (source, event_id, event_type) do nothing")) {
                for (long i = 0; i < events; i++) {
                    String[] r = row(templates, i);
                    for (int c = 0; c < r.length; c++) {
                        if (c == 4) {
                            insert.setTimestamp(5, r[4] == null ? null : Timestamp.from(Instant.parse(r[4])));
                        } else if (c == 10 || c == 11) {
                            insert.setLong(c + 1, Long.parseLong(r[c]));
                        } else {
                            insert.setString(c + 1, r[c]);
                        }
                    }
                    insert.addBatch();
                    if ((i + 1) % 500 == 0 || i == events - 1) {
                        insert.executeBatch();
                        db.commit();
                    }
                }
            }
            double rate = events / seconds(Duration.between(start, Instant.now()));
            try (Statement ddl = db.createStatement()) {
                ddl.execute("drop table bench_jdbc");
            }
            db.commit();
            return rate;
        }
    }

    private double copy(List<Template> templates, long events) throws SQLException, IOException {
        try (Connection db = database()) {
            try (Statement ddl = db.createStatement()) {
                ddl.execute("drop table if exists bench_copy");
                ddl.execute("create table bench_copy (like call_events including all)");
            }
            Instant start = Instant.now();
            db.unwrap(PGConnection.class).getCopyAPI().copyIn("copy bench_copy (" + COLUMNS + ") from stdin (format csv)",
                    new CsvReader(templates, events));
            double rate = events / seconds(Duration.between(start, Instant.now()));
            try (Statement ddl = db.createStatement()) {
                ddl.execute("drop table bench_copy");
            }
            return rate;
        }
    }

    /** The rows as CSV, generated as COPY reads them. */
    private final class CsvReader extends Reader {
        private final List<Template> templates;
        private final long events;
        private long next;
        private String line = "";
        private int at;

        CsvReader(List<Template> templates, long events) {
            this.templates = templates;
            this.events = events;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (at == line.length()) {
                if (next == events) {
                    return -1;
                }
                StringBuilder csv = new StringBuilder();
                String[] r = row(templates, next++);
                for (int c = 0; c < r.length; c++) {
                    if (c > 0) {
                        csv.append(',');
                    }
                    if (r[c] != null) {
                        csv.append('"').append(r[c].replace("\"", "\"\"")).append('"');
                    }
                }
                line = csv.append('\n').toString();
                at = 0;
            }
            int n = Math.min(length, line.length() - at);
            line.getChars(at, at + n, buffer, offset);
            at += n;
            return n;
        }

        @Override
        public void close() {
        }
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
