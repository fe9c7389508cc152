package io.callstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.events.Topics;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.Commands;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What a user of callstream has in hand: the emulator's control API (standing in for phones and
 * Event Grid), Kafka (publish commands, read results and events) and PostgreSQL (read history).
 * Works against the in-process test stack and against {@code make run}'s stack alike.
 */
public final class StackClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the stack is.
     *
     * @param emulatorUrl the emulator's HTTPS base URL
     * @param emulatorCertificate the emulator's self-signed certificate (PEM)
     * @param ingressUrl ingress-service's base URL
     * @param kafkaBootstrap Kafka bootstrap servers
     * @param jdbcUrl PostgreSQL JDBC URL
     * @param dbUser PostgreSQL user
     * @param dbPassword PostgreSQL password
     */
    public record Endpoints(URI emulatorUrl, Path emulatorCertificate, URI ingressUrl, String kafkaBootstrap,
                            String jdbcUrl, String dbUser, String dbPassword) {
    }

    /** An HTTP answer. */
    public record Answer(int status, String body, Map<String, List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    private final Endpoints endpoints;
    private final HttpClient http;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> resultConsumer;
    private final KafkaConsumer<String, CloudEvent> eventConsumer;
    private final List<CommandResult> results = new CopyOnWriteArrayList<>();
    private final List<ConsumerRecord<String, CloudEvent>> events = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    public StackClient(Endpoints endpoints) {
        this.endpoints = endpoints;
        // HTTP/1.1, as the services speak it: the client's default HTTP/2 upgrade attempt on plain http
        // can stall a request that the server answers (401, 413) before reading its body.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(trusting(endpoints.emulatorCertificate()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.resultConsumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer());
        this.resultConsumer.subscribe(List.of(Topics.COMMAND_RESULTS));
        this.eventConsumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new CloudEventDeserializer());
        this.eventConsumer.subscribe(List.of(Topics.ACS_EVENTGRID, Topics.ACS_CALLBACKS));
        this.poller = Thread.ofPlatform().daemon().name("stack-client-poller").start(this::poll);
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    // ---------------------------------------------------------------------------- emulator

    /** Rings the application through the emulator: {@code POST /emulator/incoming-calls}. */
    public Answer ring(String from, String to) {
        return ring(from, to, false);
    }

    /** Rings the application; with {@code callerHangsUpOnAnswer} the answer fails (AnswerFailed). */
    public Answer ring(String from, String to, boolean callerHangsUpOnAnswer) {
        return post(endpoints.emulatorUrl().resolve("/emulator/incoming-calls"),
                "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"callerHangsUpOnAnswer\":" + callerHangsUpOnAnswer + "}");
    }

    /** Sets how a callee (raw id, or E.164) treats calls and invitations: answer, decline, busy or noAnswer. */
    public Answer callee(String rawId, String behaviour) {
        return post(endpoints.emulatorUrl().resolve("/emulator/callees"),
                "{\"rawId\":\"" + rawId + "\",\"behaviour\":\"" + behaviour + "\"}");
    }

    /** A participant of the leg presses DTMF keys ({@code one}, {@code pound}, …). */
    public Answer press(String callConnectionId, String... tones) {
        return post(endpoints.emulatorUrl().resolve("/emulator/calls/" + callConnectionId + "/dtmf"),
                "{\"tones\":[\"" + String.join("\",\"", tones) + "\"]}");
    }

    /** A participant of the leg says {@code phrase}, for speech and choice recognition. */
    public Answer say(String callConnectionId, String phrase) {
        return post(endpoints.emulatorUrl().resolve("/emulator/calls/" + callConnectionId + "/speech"), "{\"phrase\":\"" + phrase + "\"}");
    }

    /** A participant of the leg picks a choice by its label, for choice recognition. */
    public Answer choose(String callConnectionId, String label) {
        return post(endpoints.emulatorUrl().resolve("/emulator/calls/" + callConnectionId + "/speech"), "{\"label\":\"" + label + "\"}");
    }

    /** Turns the emulator's duplicate-and-reorder callback delivery on or off. */
    public Answer duplicateAndReorder(boolean on) {
        return post(endpoints.emulatorUrl().resolve("/emulator/delivery-mode"), "{\"duplicateAndReorder\":" + on + "}");
    }

    /** Injects a fault into the emulator's Call Automation requests: {@code POST /emulator/faults}. */
    public Answer injectFault(String json) {
        return post(endpoints.emulatorUrl().resolve("/emulator/faults"), json);
    }

    /** Clears the emulator's fault: {@code DELETE /emulator/faults}. */
    public Answer clearFaults() {
        return send(HttpRequest.newBuilder(endpoints.emulatorUrl().resolve("/emulator/faults")).timeout(timeout).DELETE().build());
    }

    /** The emulator's request counts ({@code received}, {@code faulted}, {@code replayed}, {@code executed}, {@code duplicates}). */
    public Map<String, Long> acsRequests() {
        Answer answer = send(HttpRequest.newBuilder(endpoints.emulatorUrl().resolve("/emulator/requests")).timeout(timeout).GET().build());
        Map<String, Long> counts = new java.util.TreeMap<>();
        answer.json().properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    /** Delivers a raw Event Grid delivery as Event Grid would. */
    public Answer deliverEventGrid(byte[] body) {
        return post(endpoints.emulatorUrl().resolve("/emulator/eventgrid/deliveries"), new String(body, StandardCharsets.UTF_8));
    }

    /** Delivers a raw callback body to ingress's callback URI as Call Automation would. */
    public Answer deliverCallback(byte[] body) {
        URI callbackUri = endpoints.ingressUrl().resolve("/api/callbacks");
        return post(endpoints.emulatorUrl().resolve("/emulator/callbacks/deliveries?callbackUri="
                + URLEncoder.encode(callbackUri.toString(), StandardCharsets.UTF_8)), new String(body, StandardCharsets.UTF_8));
    }

    /** Any HTTP request, for tests of the webhooks themselves. Give it a timeout: {@link #timeout}. */
    public Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException("request to " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How long a test's request may wait for its answer. */
    public static final Duration timeout = Duration.ofSeconds(60);

    public Answer post(URI uri, String body) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    // ------------------------------------------------------------------------------- Kafka

    /** Publishes a command's JSON on {@code calls.commands}, keyed by its commandId, and waits for the ack. */
    public void publishCommand(String commandId, String json) {
        try {
            producer.send(new ProducerRecord<>(Topics.CALLS_COMMANDS, commandId, json.getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish command " + commandId, e);
        }
    }

    /** Publishes raw bytes on any topic, with no headers, and waits for the ack (for poison-record tests). */
    public void publishRaw(String topic, String key, byte[] value) {
        publishRaw(topic, key, value, Map.of());
    }

    /** Publishes raw bytes on any topic with {@code headers} (UTF-8 values), and waits for the ack (for poison-record tests). */
    public void publishRaw(String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, header) -> record.headers().add(name, header.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** Every result seen on {@code calls.command-results} for one command, in arrival order. */
    public List<CommandResult> results(String commandId) {
        return results.stream().filter(r -> commandId.equals(r.commandId())).toList();
    }

    /**
     * Every result on {@code calls.command-results} for one command, read from the topic itself up
     * to its end now: unlike {@link #results}, it includes every result acknowledged before the call.
     */
    public List<CommandResult> resultsOnTopic(String commandId) {
        return readTopic(Topics.COMMAND_RESULTS).stream().filter(r -> commandId.equals(r.key()))
                .map(r -> Commands.readResult(r.value())).toList();
    }

    /** Every record on {@code topic}, from offset 0 to the end offsets taken at the call. */
    public List<ConsumerRecord<String, byte[]>> readTopic(String topic) {
        Properties config = consumerConfig();
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Every event seen on the event topics. */
    public List<ConsumerRecord<String, CloudEvent>> events() {
        return List.copyOf(events);
    }

    /** A fresh commandId. */
    public static String newCommandId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    // ---------------------------------------------------------------------------- database

    /** A JDBC connection to the call history; the caller closes it. */
    public Connection database() throws SQLException {
        return DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
    }

    @Override
    public void close() {
        running = false;
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    private void poll() {
        try {
            while (running) {
                for (var record : resultConsumer.poll(Duration.ofMillis(100))) {
                    results.add(Commands.readResult(record.value()));
                }
                try {
                    for (var record : eventConsumer.poll(Duration.ofMillis(100))) {
                        events.add(record);
                    }
                } catch (RecordDeserializationException e) {
                    // Not a CloudEvent (a poison record): skip it, as command-service does.
                    eventConsumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } finally {
            resultConsumer.close(Duration.ofSeconds(2));
            eventConsumer.close(Duration.ofSeconds(2));
        }
    }

    private Properties consumerConfig() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "stack-client-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        return p;
    }

    /** A TLS context that trusts one PEM certificate (the emulator's self-signed one). */
    public static SSLContext trusting(Path certificate) {
        try (InputStream in = Files.newInputStream(certificate)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("acs-emulator", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the emulator certificate at " + certificate, e);
        }
    }
}
