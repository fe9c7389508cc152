package io.callstream.command.acs;

import com.azure.communication.common.implementation.CommunicationConnectionString;
import com.azure.communication.common.implementation.HmacAuthenticationPolicy;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.RetryPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Call Automation REST operations that SDK 1.0.4 (api-version 2023-03-06) lacks, sent at
 * api-version 2025-05-15 through the SDK's own azure-core pipeline: the same retry policy as the SDK
 * client (exponential backoff, honouring Retry-After) and its HMAC-SHA256 request signing, the same as the SDK client
 * uses, plus the command's {@link Repeatability} headers. Bodies are the spec's request models as JSON; a non-2xx answer becomes an
 * {@link AcsRequestException} carrying ACS's {@code error.code} and {@code error.message}.
 */
final class AcsRest {

    /** The api-version of the REST spec in {@code ../shared/reference/acs-rest/2025-05-15}. */
    static final String API_VERSION = "2025-05-15";

    /** The only api-version with CallConnection_MoveParticipants. */
    static final String PREVIEW_API_VERSION = "2025-08-15-preview";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpPipeline pipeline;
    private final String endpoint;
    private final Duration timeout;

    /**
     * @param http the client, whose response timeout bounds each attempt
     * @param retry the retry policy (the SDK client's, so that both paths retry alike)
     * @param timeout the bound on one request, all attempts included
     */
    AcsRest(String connectionString, HttpClient http, RetryPolicy retry, Duration timeout) {
        CommunicationConnectionString parsed = new CommunicationConnectionString(connectionString);
        this.endpoint = parsed.getEndpoint().replaceAll("/+$", "");
        this.timeout = timeout;
        this.pipeline = new HttpPipelineBuilder()
                .httpClient(http)
                .policies(retry, new RepeatabilityPolicy(), new HmacAuthenticationPolicy(new AzureKeyCredential(parsed.getAccessKey())))
                .build();
    }

    /** A JSON object to fill in as a request body. */
    static ObjectNode body() {
        return JSON.createObjectNode();
    }

    /** A path segment, percent-encoded (raw ids hold {@code :} and {@code +}). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * POSTs {@code body} to {@code path} (which starts with {@code /calling/}).
     *
     * @return the response body as JSON; an empty object for an empty body
     * @throws AcsRequestException for any non-2xx answer, or none
     */
    JsonNode post(String path, ObjectNode body) {
        return post(path, body, API_VERSION);
    }

    /** POSTs at another api-version (move participants exists only in 2025-08-15-preview). */
    JsonNode post(String path, ObjectNode body, String apiVersion) {
        HttpRequest request = new HttpRequest(HttpMethod.POST, endpoint + path + "?api-version=" + apiVersion)
                .setBody(body.toString().getBytes(StandardCharsets.UTF_8));
        request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
        return send(request);
    }

    /** DELETEs {@code path}. */
    JsonNode delete(String path) {
        return send(new HttpRequest(HttpMethod.DELETE, endpoint + path + "?api-version=" + API_VERSION));
    }

    /** GETs {@code path}. */
    JsonNode get(String path) {
        return send(new HttpRequest(HttpMethod.GET, endpoint + path + "?api-version=" + API_VERSION));
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse response;
        try {
            response = pipeline.send(request, Repeatability.context()).block(timeout);
        } catch (RuntimeException e) {
            throw new AcsRequestException(0, "RequestFailed", "no answer from ACS: " + e, e);
        }
        if (response == null) {
            throw new AcsRequestException(0, "RequestFailed", "no answer from ACS within " + timeout, null);
        }
        try (response) {
            String text = response.getBodyAsString().block(timeout);
            JsonNode json = text == null || text.isBlank() ? JSON.createObjectNode() : readJson(text);
            int status = response.getStatusCode();
            if (status / 100 != 2) {
                JsonNode error = json.path("error");
                throw new AcsRequestException(status, error.path("code").asText(String.valueOf(status)),
                        error.path("message").asText(text == null ? "" : text), null);
            }
            return json;
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode().put("raw", text);
        }
    }
}
