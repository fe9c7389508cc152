package io.callstream.e2e;

import com.azure.communication.common.implementation.HmacAuthenticationPolicy;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import io.callstream.emulator.system.LocalCredentials;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulator as ACS: HMAC-verified REST at api-version 2025-05-15 through the SDK's own
 * azure-core pipeline and HMAC policy, ACS's error shape, and callbacks in the order and envelope
 * of EVENT-SEQUENCES.md §5, captured by a local receiver.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatorIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> callbacks = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private HttpPipeline signed;
    private HttpPipeline wronglySigned;
    private String base;
    private String callbackUri;

    @BeforeAll
    void start(LocalStack stack) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/callbacks", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            JSON.readTree(body).forEach(callbacks::add);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        callbackUri = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/callbacks";
        base = stack.emulatorUrl().toString();
        var http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder()
                .sslContext(StackClient.trusting(stack.emulatorDir().resolve("emulator.crt")))).build();
        signed = new HttpPipelineBuilder().httpClient(http)
                .policies(new HmacAuthenticationPolicy(new AzureKeyCredential(LocalCredentials.accessKey(stack.emulatorDir())))).build();
        wronglySigned = new HttpPipelineBuilder().httpClient(http)
                .policies(new HmacAuthenticationPolicy(new AzureKeyCredential(Base64.getEncoder().encodeToString(new byte[32])))).build();
    }

    @AfterAll
    void stop() {
        receiver.stop(0);
    }

    @Test
    void aRequestWithoutOrWithAWrongSignatureIsA401InAcsErrorShape() throws Exception {
        HttpResponse unsigned = new HttpPipelineBuilder().httpClient(signedClient()).build()
                .send(new HttpRequest(HttpMethod.GET, base + "/calling/callConnections/x?api-version=2025-05-15")).block();
        HttpResponse wrong = wronglySigned.send(new HttpRequest(HttpMethod.GET, base + "/calling/callConnections/x?api-version=2025-05-15")).block();

        assertThat(unsigned.getStatusCode()).isEqualTo(401);
        assertThat(JSON.readTree(unsigned.getBodyAsString().block()).path("error").path("code").asText()).isEqualTo("Unauthorized");
        assertThat(wrong.getStatusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.getBodyAsString().block()).path("error").path("message").asText()).contains("Hmac Validation Error");
    }

    @Test
    void invalidRequestsAre400WithTheFieldAtFault() throws Exception {
        JsonNode noCallerId = error(post("/calling/callConnections?api-version=2025-05-15",
                "{\"targets\":[{\"kind\":\"phoneNumber\",\"phoneNumber\":{\"value\":\"+14255550123\"}}],\"callbackUri\":\"" + callbackUri + "\"}"));
        JsonNode noCallback = error(post("/calling/callConnections?api-version=2025-05-15",
                "{\"targets\":[{\"rawId\":\"8:acs:r_u\"}]}"));
        JsonNode badVersion = error(post("/calling/callConnections?api-version=2019-01-01",
                "{\"targets\":[{\"rawId\":\"8:acs:r_u\"}],\"callbackUri\":\"" + callbackUri + "\"}"));

        assertThat(noCallerId.path("target").asText()).isEqualTo("sourceCallerIdNumber");
        assertThat(noCallback.path("target").asText()).isEqualTo("callbackUri");
        assertThat(badVersion.path("target").asText()).isEqualTo("api-version");
    }

    @Test
    void createAtTheCurrentApiVersionThenTerminateEmitsTheRecordedSequenceAndEnvelope() throws Exception {
        HttpResponse created = post("/calling/callConnections?api-version=2025-05-15",
                "{\"targets\":[{\"kind\":\"communicationUser\",\"communicationUser\":{\"id\":\"8:acs:r_callee\"}}],"
                        + "\"source\":{\"communicationUser\":{\"id\":\"8:acs:r_app\"}},\"operationContext\":\"ctx-1\","
                        + "\"callbackUri\":\"" + callbackUri + "\"}");
        assertThat(created.getStatusCode()).isEqualTo(201);
        JsonNode properties = JSON.readTree(created.getBodyAsString().block());
        String leg = properties.path("callConnectionId").asText();
        assertThat(properties.path("callConnectionState").asText()).isEqualTo("connecting");

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(leg).size() >= 2);
        HttpResponse participants = signed.send(new HttpRequest(HttpMethod.GET,
                base + "/calling/callConnections/" + leg + "/participants?api-version=2025-05-15")).block();
        assertThat(participants.getStatusCode()).isEqualTo(200);
        assertThat(JSON.readTree(participants.getBodyAsString().block()).path("value")).hasSize(2);
        assertThat(post("/calling/callConnections/" + leg + ":terminate?api-version=2025-05-15", "").getStatusCode()).isEqualTo(204);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(leg).size() >= 3);

        List<JsonNode> events = eventsOf(leg);
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("Microsoft.Communication.CallConnected",
                "Microsoft.Communication.ParticipantsUpdated", "Microsoft.Communication.CallDisconnected");
        for (JsonNode event : events) {
            assertThat(fieldNames(event)).containsExactly("id", "source", "type", "data", "time", "specversion", "datacontenttype", "subject");
            assertThat(event.path("subject")).isEqualTo(event.path("source"));
            assertThat(event.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,7})?\\+00:00");
            assertThat(event.path("data").path("version").asText()).isEqualTo("2025-05-15");
            assertThat(event.path("data").path("publicEventType")).isEqualTo(event.path("type"));
            assertThat(event.path("data").path("serverCallId").asText()).isEqualTo(properties.path("serverCallId").asText());
        }
        assertThat(events.get(0).path("data").path("operationContext").asText()).isEqualTo("ctx-1");
        assertThat(events.get(1).path("data").path("sequenceNumber").asInt()).isEqualTo(1);
        assertThat(events.get(1).path("data").has("operationContext")).isFalse();
        assertThat(events.get(2).path("data").path("resultInformation").path("subCode").asInt()).isEqualTo(7000);
        assertThat(authorizations).allMatch(a -> a != null && a.startsWith("Bearer ey"));
    }

    @Test
    void addParticipantSendsTheInviteSnapshotThenTheNewListAndItsSuccessToTheOperationCallbackUri() throws Exception {
        HttpResponse created = post("/calling/callConnections?api-version=2025-05-15",
                "{\"targets\":[{\"rawId\":\"8:acs:r_first\"}],\"callbackUri\":\"" + callbackUri + "\"}");
        String leg = JSON.readTree(created.getBodyAsString().block()).path("callConnectionId").asText();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(leg).size() >= 2);

        HttpResponse added = post("/calling/callConnections/" + leg + "/participants:add?api-version=2025-05-15",
                "{\"participantToAdd\":{\"rawId\":\"8:acs:r_second\"},\"operationContext\":\"add-1\","
                        + "\"operationCallbackUri\":\"" + callbackUri + "?operation=add\"}");
        assertThat(added.getStatusCode()).isEqualTo(202);
        assertThat(JSON.readTree(added.getBodyAsString().block()).path("invitationId").asText()).isNotBlank();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(leg).size() >= 5);

        List<JsonNode> events = eventsOf(leg).subList(2, 5);
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("Microsoft.Communication.ParticipantsUpdated",
                "Microsoft.Communication.ParticipantsUpdated", "Microsoft.Communication.AddParticipantSucceeded");
        assertThat(events.get(0).path("data").path("participants")).hasSize(1);
        assertThat(events.get(1).path("data").path("participants")).hasSize(2);
        assertThat(events.get(1).path("data").path("sequenceNumber").asInt()).isGreaterThan(events.get(0).path("data").path("sequenceNumber").asInt());
        assertThat(events.get(2).path("data").path("participant").path("rawId").asText()).isEqualTo("8:acs:r_second");
        assertThat(events.get(2).path("data").path("operationContext").asText()).isEqualTo("add-1");
    }

    @Test
    void aRepeatedRequestIdActsOnceAndReplaysTheFirstAnswer() throws Exception {
        String body = "{\"targets\":[{\"rawId\":\"8:acs:r_once\"}],\"callbackUri\":\"" + callbackUri + "\"}";
        String id = java.util.UUID.randomUUID().toString();

        HttpResponse first = postRepeatable("/calling/callConnections?api-version=2025-05-15", body, id);
        HttpResponse again = postRepeatable("/calling/callConnections?api-version=2025-05-15", body, id);
        HttpResponse otherBody = postRepeatable("/calling/callConnections?api-version=2025-05-15", body.replace("r_once", "r_twice"), id);

        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(again.getStatusCode()).isEqualTo(201);
        JsonNode created = JSON.readTree(first.getBodyAsString().block());
        String leg = created.path("callConnectionId").asText();
        String serverCallId = created.path("serverCallId").asText();
        assertThat(JSON.readTree(again.getBodyAsString().block()).path("callConnectionId").asText()).isEqualTo(leg);
        assertThat(otherBody.getStatusCode()).isEqualTo(400);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(leg).size() >= 2);
        assertThat(callbacks.stream().filter(e -> e.path("type").asText().endsWith("CallConnected")
                && e.path("data").path("serverCallId").asText().equals(serverCallId))).hasSize(1);
    }

    private HttpResponse postRepeatable(String path, String body, String requestId) {
        HttpRequest request = new HttpRequest(HttpMethod.POST, base + path).setBody(body.getBytes(StandardCharsets.UTF_8));
        request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
        request.setHeader(HttpHeaderName.fromString("Repeatability-Request-ID"), requestId);
        request.setHeader(HttpHeaderName.fromString("Repeatability-First-Sent"), "Tue, 24 Nov 2026 06:00:00 GMT");
        return signed.send(request).block();
    }

    @Test
    void theControlApiAnswersBadRequestsWith400AndTheFieldAtFault(StackClient client, LocalStack stack) throws Exception {
        StackClient.Answer noCallee = client.post(stack.emulatorUrl().resolve("/emulator/incoming-calls"), "{\"from\":\"+14255550190\"}");
        StackClient.Answer badBehaviour = client.post(stack.emulatorUrl().resolve("/emulator/callees"),
                "{\"rawId\":\"+14255550191\",\"behaviour\":\"vanish\"}");
        StackClient.Answer notJson = client.post(stack.emulatorUrl().resolve("/emulator/callees"), "{");
        StackClient.Answer noRecognition = client.post(stack.emulatorUrl().resolve("/emulator/calls/no-such-leg/dtmf"), "{\"tones\":[\"one\"]}");

        assertThat(noCallee.status()).isEqualTo(400);
        assertThat(noCallee.json().path("error").path("target").asText()).isEqualTo("to");
        assertThat(badBehaviour.status()).isEqualTo(400);
        assertThat(badBehaviour.json().path("error").path("target").asText()).isEqualTo("behaviour");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(noRecognition.status()).isEqualTo(404);
    }

    private List<JsonNode> eventsOf(String leg) {
        return callbacks.stream().filter(e -> e.path("data").path("callConnectionId").asText().equals(leg)).toList();
    }

    private HttpResponse post(String path, String body) {
        HttpRequest request = new HttpRequest(HttpMethod.POST, base + path).setBody(body.getBytes(StandardCharsets.UTF_8));
        request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
        return signed.send(request).block();
    }

    private static JsonNode error(HttpResponse response) throws Exception {
        assertThat(response.getStatusCode()).isEqualTo(400);
        return JSON.readTree(response.getBodyAsString().block()).path("error");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private com.azure.core.http.HttpClient signedClient() {
        return signed.getHttpClient();
    }
}
