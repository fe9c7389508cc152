package io.callstream.emulator.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.emulator.calls.AcsError;
import io.callstream.emulator.faults.RequestLedger;
import org.reactivestreams.Publisher;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Repeatable requests (PROTOCOLS §4, OASIS Repeatable Requests 1.0 as ACS documents it): a POST
 * with a {@code Repeatability-Request-ID} already seen is not executed again.
 * <ul>
 *   <li>Same id, same body, first one finished with 2xx or 4xx: its response is replayed.</li>
 *   <li>Same id while the first one is still running: 409. Same id, another body: 400.</li>
 *   <li>The first one failed with 5xx: the request is executed again.</li>
 *   <li>A malformed id, or a missing or malformed {@code Repeatability-First-Sent}: 400.</li>
 * </ul>
 * Runs after the HMAC check and fault injection, so only authenticated requests that reached
 * the emulator are remembered; each execution and replay is counted in the {@link RequestLedger}.
 */
@Component
@Order(2)
class RepeatableRequestsFilter implements WebFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Outcome(String bodyHash, boolean done, int status, MediaType contentType, byte[] body) {
    }

    private final Map<String, Outcome> seen = new ConcurrentHashMap<>();
    private final RequestLedger ledger;

    RepeatableRequestsFilter(RequestLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        String path = request.getPath().value();
        if (!path.startsWith("/calling/callConnections") && !path.startsWith("/calling/recordings")) {
            return chain.filter(exchange);
        }
        String id = request.getHeaders().getFirst("Repeatability-Request-ID");
        if (id == null || request.getMethod() != HttpMethod.POST) {
            return chain.filter(exchange).doOnSuccess(done -> ledger.executed(null, status(exchange)));
        }
        try {
            UUID.fromString(id);
            ZonedDateTime.parse(String.valueOf(request.getHeaders().getFirst("Repeatability-First-Sent")), DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return AcsError.write(exchange, HttpStatus.BAD_REQUEST, "BadRequest",
                    "Repeatability-Request-ID must be a UUID and Repeatability-First-Sent an RFC 1123 date.");
        }
        return DataBufferUtils.join(request.getBody()).map(buffer -> {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            DataBufferUtils.release(buffer);
            return bytes;
        }).defaultIfEmpty(new byte[0]).flatMap(body -> {
            String hash = HmacSignature.contentHash(body);
            Outcome started = new Outcome(hash, false, 0, null, null);
            Outcome before = seen.putIfAbsent(id, started);
            if (before != null && !(before.done() && before.status() >= 500 && before.bodyHash().equals(hash) && seen.replace(id, before, started))) {
                if (!before.bodyHash().equals(hash)) {
                    return AcsError.write(exchange, HttpStatus.BAD_REQUEST, "BadRequest",
                            "Repeatability-Request-ID " + id + " was used with another request body.");
                }
                if (!before.done()) {
                    return AcsError.write(exchange, HttpStatus.CONFLICT, "Conflict", "The request " + id + " is still being processed.");
                }
                ledger.replayed();
                return replay(exchange, before);
            }
            String action = path + "|" + operationContext(body).orElse(id);
            // The outcome is remembered as soon as the handler has produced it, before it is written:
            // a client whose request timed out while the answer was on its way gets it replayed.
            ServerHttpResponse response = new ServerHttpResponseDecorator(exchange.getResponse()) {
                @Override
                public Mono<Void> writeWith(Publisher<? extends DataBuffer> content) {
                    return DataBufferUtils.join(content).flatMap(buffer -> {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        DataBufferUtils.release(buffer);
                        remember(id, hash, action, exchange, bytes);
                        return super.writeWith(Mono.just(bufferFactory().wrap(bytes)));
                    });
                }

                @Override
                public Mono<Void> setComplete() {
                    remember(id, hash, action, exchange, new byte[0]);
                    return super.setComplete();
                }
            };
            return chain.filter(exchange.mutate().response(response).build())
                    .doOnError(error -> seen.remove(id, started));
        });
    }

    private void remember(String id, String hash, String action, ServerWebExchange exchange, byte[] body) {
        Outcome outcome = new Outcome(hash, true, status(exchange), exchange.getResponse().getHeaders().getContentType(), body);
        Outcome before = seen.put(id, outcome);
        if (before == null || !before.done()) {
            ledger.executed(action, outcome.status());
        }
    }

    private static int status(ServerWebExchange exchange) {
        var status = exchange.getResponse().getStatusCode();
        return status == null ? 200 : status.value();
    }

    /** The request body's top-level {@code operationContext}, if it has one. */
    private static Optional<String> operationContext(byte[] body) {
        try {
            return Optional.ofNullable(JSON.readTree(body)).map(json -> json.path("operationContext"))
                    .filter(JsonNode::isTextual).map(JsonNode::asText);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Mono<Void> replay(ServerWebExchange exchange, Outcome outcome) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.valueOf(outcome.status()));
        if (outcome.contentType() != null) {
            response.getHeaders().setContentType(outcome.contentType());
        }
        return outcome.body().length == 0 ? response.setComplete()
                : response.writeWith(Mono.just(response.bufferFactory().wrap(outcome.body())));
    }
}
