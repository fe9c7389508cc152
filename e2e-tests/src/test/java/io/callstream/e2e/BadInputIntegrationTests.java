package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.Sql;
import io.callstream.e2e.support.StackExtension;
import io.callstream.e2e.support.TestTokens;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.CommandResult.Status;
import io.callstream.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a clear error and loses nothing already accepted: malformed bodies, every kind
 * of bad callback JWT, a missing Event Grid secret, oversized bodies, unknown event types and
 * commands that fail their schema.
 */
@ExtendWith(StackExtension.class)
class BadInputIntegrationTests {

    private final StackClient client;
    private final LocalStack stack;
    private final TestTokens tokens;

    BadInputIntegrationTests(StackClient client, LocalStack stack) {
        this.client = client;
        this.stack = stack;
        this.tokens = new TestTokens(stack.emulatorDir());
    }

    @Test
    void malformedJsonIsA400Problem() {
        StackClient.Answer callback = postCallback("[{\"id\": ", tokens.valid());
        StackClient.Answer eventGrid = postEventGrid("{not json", "?secret=" + stack.eventGridSecret());

        assertThat(callback.status()).isEqualTo(400);
        assertThat(callback.headers().get("content-type")).anyMatch(v -> v.startsWith("application/problem+json"));
        assertThat(callback.json().path("detail").asText()).contains("not valid JSON");
        assertThat(eventGrid.status()).isEqualTo(400);
        assertThat(eventGrid.headers().get("content-type")).anyMatch(v -> v.startsWith("application/problem+json"));
    }

    @Test
    void everyKindOfBadCallbackTokenIsA401AndNothingIsPublished() {
        String serverCallId = "bad-token-" + UUID.randomUUID();
        List<String> rejectedIds = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());

        assertThat(postCallback(callback(rejectedIds.get(0), serverCallId), null).status()).isEqualTo(401);
        assertThat(postCallback(callback(rejectedIds.get(1), serverCallId), tokens.expired()).status()).isEqualTo(401);
        assertThat(postCallback(callback(rejectedIds.get(2), serverCallId), tokens.wrongSignature()).status()).isEqualTo(401);
        StackClient.Answer wrongAudience = postCallback(callback(rejectedIds.get(3), serverCallId), tokens.wrongAudience());
        assertThat(wrongAudience.status()).isEqualTo(401);
        assertThat(wrongAudience.headers().get("content-type")).anyMatch(v -> v.startsWith("application/problem+json"));
        // A malformed bearer header (a valid token with more after it) and another scheme.
        assertThat(postCallbackAuthorized(callback(rejectedIds.get(4), serverCallId), "Bearer " + tokens.valid() + " x").status()).isEqualTo(401);
        assertThat(postCallbackAuthorized(callback(rejectedIds.get(5), serverCallId), "Basic " + tokens.valid()).status()).isEqualTo(401);

        // A valid delivery on the same call (same partition) after them: once it is on the topic, they would be too.
        String acceptedId = UUID.randomUUID().toString();
        assertThat(postCallback(callback(acceptedId, serverCallId), tokens.valid()).status()).isEqualTo(200);
        awaitOnTopic(acceptedId);
        assertThat(client.events()).noneMatch(r -> r.value() != null && rejectedIds.contains(r.value().getId()));
    }

    @Test
    void aHeaderWithAControlCharacterIsA400AndNothingIsPublished() throws Exception {
        String serverCallId = "bad-header-" + UUID.randomUUID();
        String rejectedId = UUID.randomUUID().toString();
        byte[] body = callback(rejectedId, serverCallId).getBytes(StandardCharsets.UTF_8);
        // Java's HttpClient refuses to send such a header, so this request goes over a plain socket. 0x85
        // is NEL, a C1 control character: Spring Security's firewall (HeaderFirewall) rejects a header
        // holding one when the header is read, as Content-Type is for every delivery.
        String head = "POST /api/callbacks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json; x=a\u0085b\r\n"
                + "Authorization: Bearer " + tokens.valid() + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        String status;
        try (Socket socket = new Socket(stack.ingressUrl().getHost(), stack.ingressUrl().getPort())) {
            socket.setSoTimeout((int) StackClient.timeout.toMillis());
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
        }

        assertThat(status).startsWith("HTTP/1.1 400");
        String acceptedId = UUID.randomUUID().toString();
        assertThat(postCallback(callback(acceptedId, serverCallId), tokens.valid()).status()).isEqualTo(200);
        awaitOnTopic(acceptedId);
        assertThat(client.events()).noneMatch(r -> r.value() != null && rejectedId.equals(r.value().getId()));
    }

    @Test
    void ingressAcceptsConnectionsOnAThreadOfItsOwn() {
        // HttpServerConfiguration: the server's loops are ingress-http-*, with a select loop that only accepts.
        assertThat(postCallback(callback(UUID.randomUUID().toString(), "acceptor-" + UUID.randomUUID()), tokens.valid()).status()).isEqualTo(200);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .anyMatch(name -> name.startsWith("ingress-http-select-"))
                .anyMatch(name -> name.startsWith("ingress-http-") && !name.contains("select"));
    }

    @Test
    void eventGridWithoutItsSecretIsA401() {
        String body = "[{\"id\":\"" + UUID.randomUUID() + "\",\"topic\":\"/t\",\"subject\":\"s\",\"eventType\":\"Microsoft.Communication.CallStarted\","
                + "\"eventTime\":\"2026-01-01T00:00:00Z\",\"data\":{\"serverCallId\":\"x\"},\"dataVersion\":\"1.0\"}]";

        assertThat(postEventGrid(body, "").status()).isEqualTo(401);
        assertThat(postEventGrid(body, "?secret=wrong").status()).isEqualTo(401);
        assertThat(postEventGrid(body, "?secret=" + stack.eventGridSecret()).status()).isEqualTo(200);
    }

    @Test
    void aBodyOverOneMegabyteIsA413() {
        String padding = "x".repeat(1_100_000);
        String body = "[{\"id\":\"big\",\"source\":\"calling/callConnections/c\",\"type\":\"Microsoft.Communication.PlayCompleted\","
                + "\"specversion\":\"1.0\",\"data\":{\"pad\":\"" + padding + "\"}}]";

        assertThat(postCallback(body, tokens.valid()).status()).isEqualTo(413);
        assertThat(postEventGrid(body, "?secret=" + stack.eventGridSecret()).status()).isEqualTo(413);
    }

    @Test
    void aValidEnvelopeOfAnUnknownTypeIsAcceptedAndStored() throws Exception {
        String id = UUID.randomUUID().toString();
        String body = "[{\"id\":\"" + id + "\",\"source\":\"calling/callConnections/c-unknown\",\"type\":\"Microsoft.Communication.SomethingNew\","
                + "\"specversion\":\"1.0\",\"datacontenttype\":\"application/json\",\"data\":{\"callConnectionId\":\"c-unknown\","
                + "\"serverCallId\":\"s-unknown\",\"novel\":{\"field\":[1,2,3]}}}]";

        assertThat(client.deliverCallback(body.getBytes()).status()).isEqualTo(200);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> storedPayload(id) != null);
        assertThat(storedPayload(id)).contains("\"novel\"");
    }

    @Test
    void aCommandThatFailsItsSchemaIsRejectedWithItsReasonAndTheConsumerCarriesOn() {
        String badId = StackClient.newCommandId("bad");
        client.publishCommand(badId, "{\"type\":\"CreateCall\",\"commandId\":\"" + badId + "\",\"targets\":[{\"phoneNumber\":\"+14255550123\"}]}");
        client.publishCommand("garbage", "this is not JSON");
        String goodId = StackClient.newCommandId("good");
        client.publishCommand(goodId, "{\"type\":\"CreateCall\",\"commandId\":\"" + goodId + "\",\"targets\":[{\"communicationUserId\":\"8:acs:r_u1\"}]}");

        CallScenarios scenarios = new CallScenarios(client);
        CommandResult rejected = scenarios.awaitStatus(badId, Status.REJECTED);
        CommandResult accepted = scenarios.awaitStatus(goodId, Status.ACCEPTED);

        assertThat(rejected.reason()).contains("sourceCallerIdNumber");
        assertThat(rejected.errorCode()).isEqualTo("InvalidCommand");
        assertThat(accepted.callConnectionId()).isNotBlank();
        ConsumerRecord<String, byte[]> garbage = deadLetter(Topics.CALLS_COMMANDS + ".DLT", "garbage");
        assertThat(new String(garbage.value())).isEqualTo("this is not JSON");
        assertThat(new String(garbage.headers().lastHeader("callstream.dlt.reason").value())).startsWith("not JSON");
    }

    @Test
    void aRecordThatIsNotACloudEventGoesToTheDeadLetterTopicWithItsReasonAndTheNextEventIsProjected() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        client.publishRaw(Topics.ACS_CALLBACKS, key, "not a cloud event".getBytes());
        String nextId = UUID.randomUUID().toString();
        assertThat(client.deliverCallback(callback(nextId, key).getBytes()).status()).isEqualTo(200);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> storedPayload(nextId) != null);
        ConsumerRecord<String, byte[]> poison = deadLetter(Topics.ACS_CALLBACKS + ".DLT", key);
        assertThat(new String(poison.value())).isEqualTo("not a cloud event");
        assertThat(new String(poison.headers().lastHeader("callstream.dlt.reason").value())).contains("not a CloudEvent");
        assertThat(new String(poison.headers().lastHeader("callstream.dlt.source").value())).startsWith(Topics.ACS_CALLBACKS + "-");
    }

    @Test
    void aCloudEventWhoseDataIsNotUtf8GoesToTheDeadLetterTopicWithItsReasonAndTheNextEventIsProjected() throws Exception {
        String key = "not-utf8-" + UUID.randomUUID();
        byte[] data = "{\"callConnectionId\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ConsumerRecord<String, byte[]> poison = assertDeadLettered(key, data, "UTF-8");
        assertThat(new String(poison.headers().lastHeader("callstream.dlt.reason").value())).startsWith("data is not JSON");
    }

    @Test
    void aCloudEventWhoseDataGoesOnAfterItsJsonGoesToTheDeadLetterTopicAndTheNextEventIsProjected() throws Exception {
        String key = "trailing-" + UUID.randomUUID();
        byte[] data = ("{\"callConnectionId\":\"" + key + "\"} and more").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertDeadLettered(key, data, "data is not JSON");
    }

    /** PostgreSQL's jsonb cannot hold U+0000, which JSON can: stored as it came, it would fail its batch at every retry. */
    @Test
    void aCloudEventWhoseDataHoldsUPlus0000GoesToTheDeadLetterTopicAndTheNextEventIsProjected() throws Exception {
        String key = "nul-" + UUID.randomUUID();
        byte[] data = ("{\"callConnectionId\":\"" + key + "\",\"operationContext\":\"a\\u0000b\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertDeadLettered(key, data, "U+0000");
    }

    /**
     * Publishes a CallConnected with {@code data} under {@code key}, then a good event on its
     * partition, and checks that the first went to the dead-letter topic with {@code reason} and the
     * second was projected.
     *
     * @return the dead letter
     */
    private ConsumerRecord<String, byte[]> assertDeadLettered(String key, byte[] data, String reason) throws Exception {
        client.publishRaw(Topics.ACS_CALLBACKS, key, data, Map.of("ce_specversion", "1.0", "ce_id", key,
                "ce_source", "calling/callConnections/" + key, "ce_type", "Microsoft.Communication.CallConnected",
                "content-type", "application/json"));
        String nextId = UUID.randomUUID().toString();
        assertThat(client.deliverCallback(callback(nextId, key).getBytes()).status()).isEqualTo(200);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> storedPayload(nextId) != null);
        ConsumerRecord<String, byte[]> poison = deadLetter(Topics.ACS_CALLBACKS + ".DLT", key);
        assertThat(poison.value()).isEqualTo(data);
        assertThat(new String(poison.headers().lastHeader("callstream.dlt.reason").value())).contains(reason);
        assertThat(storedPayload(key)).as("nothing of it is stored").isNull();
        return poison;
    }

    /** The record with {@code key} on a dead-letter topic, once it is there. */
    private ConsumerRecord<String, byte[]> deadLetter(String topic, String key) {
        try (KafkaConsumer<String, byte[]> dlt = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            dlt.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> dead = new java.util.ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                dlt.poll(Duration.ofMillis(200)).forEach(dead::add);
                return dead.stream().anyMatch(r -> key.equals(r.key()));
            });
            return dead.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
        }
    }

    private StackClient.Answer postCallback(String body, String token) {
        return postCallbackAuthorized(body, token == null ? null : "Bearer " + token);
    }

    private StackClient.Answer postCallbackAuthorized(String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.ingressUrl().resolve("/api/callbacks")).timeout(StackClient.timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build());
    }

    private StackClient.Answer postEventGrid(String body, String query) {
        return client.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/api/eventgrid" + query)).timeout(StackClient.timeout)
                .header("Content-Type", "application/json").header("aeg-event-type", "Notification")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String callback(String id, String serverCallId) {
        return "[{\"id\":\"" + id + "\",\"source\":\"calling/callConnections/c-1\",\"type\":\"Microsoft.Communication.PlayCompleted\","
                + "\"specversion\":\"1.0\",\"datacontenttype\":\"application/json\",\"time\":\"2026-01-01T00:00:00+00:00\","
                + "\"data\":{\"callConnectionId\":\"c-1\",\"serverCallId\":\"" + serverCallId + "\",\"correlationId\":\"k\"}}]";
    }

    private void awaitOnTopic(String id) {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> client.events().stream().anyMatch(r -> r.value() != null && id.equals(r.value().getId())));
    }

    private String storedPayload(String id) throws Exception {
        return Sql.one(client, "select payload::text from call_events where event_id = ?", id);
    }
}
