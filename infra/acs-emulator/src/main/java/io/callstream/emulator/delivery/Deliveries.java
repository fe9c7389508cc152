package io.callstream.emulator.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.emulator.system.EmulatorProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * Sends payloads to receivers the way the real senders do: callbacks as Call Automation POSTs
 * them (a JSON array of CloudEvents with a bearer JWT), Event Grid deliveries as Event Grid does
 * (the {@code aeg-*} headers, the subscription URL with its secret, the schema's content type).
 */
@Component
public class Deliveries {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * The receiver's answer.
     *
     * @param status HTTP status; 599 when the receiver could not be reached
     * @param body response body, possibly empty
     * @param contentType the response's content type, or {@code null}
     */
    public record Response(int status, byte[] body, String contentType) {
    }

    private final WebClient web;
    private final CallbackTokens tokens;
    private final EmulatorProperties properties;

    Deliveries(WebClient.Builder web, CallbackTokens tokens, EmulatorProperties properties) {
        this.web = web.build();
        this.tokens = tokens;
        this.properties = properties;
    }

    /** POSTs a callback body to {@code callbackUri} with a freshly signed JWT. */
    public Mono<Response> callback(URI callbackUri, byte[] body) {
        return send(web.post().uri(callbackUri)
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.mint())
                .bodyValue(body), callbackUri);
    }

    /**
     * POSTs an Event Grid delivery to the configured subscriber. The {@code aeg-event-type} is
     * {@code SubscriptionValidation} when the body holds the validation event, else {@code Notification}.
     */
    public Mono<Response> eventGrid(byte[] body) {
        URI target = properties.eventGrid().subscriberUrl();
        boolean cloudEvents = isCloudEvents(body);
        WebClient.RequestBodySpec request = web.post().uri(target)
                .contentType(cloudEvents ? MediaType.parseMediaType("application/cloudevents-batch+json; charset=utf-8")
                        : MediaType.APPLICATION_JSON)
                .header("aeg-event-type", isValidation(body) ? "SubscriptionValidation" : "Notification")
                .header("aeg-subscription-name", "CALLSTREAM-EMULATOR")
                .header("aeg-delivery-count", "0")
                .header("aeg-output-event-id", UUID.randomUUID().toString());
        if (cloudEvents) {
            request = request.header("aeg-metadata-version", "1.0");
        }
        String bearer = properties.eventGrid().bearerToken();
        if (bearer != null && !bearer.isBlank()) {
            request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
        }
        return send(request.bodyValue(body), target);
    }

    private Mono<Response> send(WebClient.RequestHeadersSpec<?> request, URI target) {
        return request.exchangeToMono(r -> r.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                        .map(b -> new Response(r.statusCode().value(), b,
                                r.headers().contentType().map(MediaType::toString).orElse(null))))
                .timeout(TIMEOUT)
                .onErrorResume(e -> {
                    log.warn("delivery to {} failed: {}", target, e.toString());
                    return Mono.just(new Response(599, ("delivery failed: " + e.getMessage()).getBytes(), "text/plain"));
                });
    }

    private static boolean isValidation(byte[] body) {
        JsonNode first = first(body);
        return first != null && "Microsoft.EventGrid.SubscriptionValidationEvent".equals(first.path("eventType").asText());
    }

    private static boolean isCloudEvents(byte[] body) {
        JsonNode first = first(body);
        return first != null && (first.has("specversion") || first.has("specVersion"));
    }

    private static JsonNode first(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            return root != null && root.isArray() ? root.path(0) : root;
        } catch (IOException e) {
            return null;
        }
    }
}
