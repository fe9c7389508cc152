package io.callstream.emulator.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;

/**
 * ACS's error response, {@code CommunicationErrorResponse}:
 * {@code {"error": {"code", "message", "target"}}} (REST spec, common.json).
 */
public final class AcsError extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpStatus status;
    private final String code;
    private final String target;

    public AcsError(HttpStatus status, String code, String message, String target) {
        super(message);
        this.status = status;
        this.code = code;
        this.target = target;
    }

    /** 400 with the field at fault. */
    public static AcsError badRequest(String message, String target) {
        return new AcsError(HttpStatus.BAD_REQUEST, "BadRequest", message, target);
    }

    /** 404 for an unknown call connection or recording. */
    public static AcsError notFound(String message) {
        return new AcsError(HttpStatus.NOT_FOUND, "NotFound", message, null);
    }

    public ResponseEntity<byte[]> toResponse() {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body(code, getMessage(), target));
    }

    /** Writes an error straight to an exchange (for filters). */
    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String code, String message) {
        exchange.getResponse().setStatusCode(status);
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body(code, message, null))));
    }

    private static byte[] body(String code, String message, String target) {
        ObjectNode error = JSON.createObjectNode().put("code", code).put("message", message);
        if (target != null) {
            error.put("target", target);
        }
        return JSON.createObjectNode().set("error", error).toString().getBytes(StandardCharsets.UTF_8);
    }
}
