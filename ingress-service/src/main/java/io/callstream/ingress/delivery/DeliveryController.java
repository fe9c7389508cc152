package io.callstream.ingress.delivery;

import io.callstream.ingress.normalize.BadDeliveryException;
import io.callstream.ingress.normalize.Channel;
import io.callstream.ingress.normalize.EventNormalizer;
import io.callstream.ingress.normalize.NormalizedEvent;
import io.callstream.ingress.publish.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The two webhooks. Each answers 2xx only after Kafka acknowledged every event of the delivery;
 * 400 for a body that is not a delivery (nothing of it published), 401 without valid
 * authentication (see {@code SecurityConfiguration}), 413 over the size limit, 503 when Kafka
 * does not acknowledge, so that the sender retries.
 * <ul>
 *   <li>{@code POST /api/eventgrid}: Event Grid deliveries, Event Grid or CloudEvents 1.0 schema.
 *   A SubscriptionValidationEvent is answered with {@code {"validationResponse": "<validationCode>"}}
 *   (PROTOCOLS §2).</li>
 *   <li>{@code OPTIONS /api/eventgrid}: the CloudEvents webhook abuse-protection handshake:
 *   {@code WebHook-Request-Origin} is echoed in {@code WebHook-Allowed-Origin}.</li>
 *   <li>{@code POST /api/callbacks}: Call Automation callbacks, a JSON array of CloudEvents.</li>
 * </ul>
 */
@RestController
class DeliveryController {

    private static final Logger log = LoggerFactory.getLogger(DeliveryController.class);

    private final EventPublisher publisher;

    DeliveryController(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @PostMapping("/api/eventgrid")
    Mono<ResponseEntity<Map<String, String>>> eventGrid(@RequestBody(required = false) byte[] body) {
        List<NormalizedEvent> events = EventNormalizer.normalize(nonEmpty(body), Channel.EVENTGRID);
        String validationCode = events.stream().map(NormalizedEvent::validationCode).filter(Objects::nonNull).findFirst().orElse(null);
        return publisher.publish(Channel.EVENTGRID, events).then(Mono.fromSupplier(() -> {
            log.debug("published {} Event Grid event(s)", events.size());
            return validationCode == null ? ResponseEntity.ok().<Map<String, String>>build()
                    : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Map.of("validationResponse", validationCode));
        }));
    }

    @RequestMapping(path = "/api/eventgrid", method = RequestMethod.OPTIONS)
    ResponseEntity<Void> abuseProtection(@RequestHeader(name = "WebHook-Request-Origin", required = false) String origin,
                                         @RequestHeader(name = "WebHook-Request-Rate", required = false) String rate) {
        if (origin == null || origin.isBlank()) {
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).header(HttpHeaders.ALLOW, "POST, OPTIONS").build();
        }
        return ResponseEntity.ok()
                .header("WebHook-Allowed-Origin", origin)
                .header("WebHook-Allowed-Rate", rate == null ? "*" : rate)
                .header(HttpHeaders.ALLOW, "POST, OPTIONS")
                .build();
    }

    @PostMapping("/api/callbacks")
    Mono<ResponseEntity<Void>> callbacks(@RequestBody(required = false) byte[] body) {
        List<NormalizedEvent> events = EventNormalizer.normalize(nonEmpty(body), Channel.CALLBACKS);
        return publisher.publish(Channel.CALLBACKS, events).then(Mono.fromSupplier(() -> ResponseEntity.ok().<Void>build()));
    }

    private static byte[] nonEmpty(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadDeliveryException("The body is empty; a delivery is a JSON array of events or one event object.");
        }
        return body;
    }
}
