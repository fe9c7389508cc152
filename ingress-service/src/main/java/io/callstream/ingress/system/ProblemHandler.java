package io.callstream.ingress.system;

import io.callstream.ingress.normalize.BadDeliveryException;
import io.callstream.ingress.publish.KafkaUnavailableException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/**
 * Every error of the webhooks as an RFC 9457 problem ({@code application/problem+json}), with a
 * deliberate status: 400 a body that is not a delivery (Event Grid does not retry it), 413 a body
 * over the limit, 503 Kafka unavailable (the sender retries; {@code Retry-After} in seconds).
 */
@RestControllerAdvice
class ProblemHandler {

    @ExceptionHandler(BadDeliveryException.class)
    ResponseEntity<ProblemDetail> badDelivery(BadDeliveryException e) {
        return problem(HttpStatus.BAD_REQUEST, "Bad delivery", e.getMessage());
    }

    @ExceptionHandler(KafkaUnavailableException.class)
    ResponseEntity<ProblemDetail> kafkaUnavailable(KafkaUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "10")
                .body(detail(HttpStatus.SERVICE_UNAVAILABLE, "Event log unavailable", e.getMessage()));
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Body too large", "The request body exceeds the limit: " + e.getMessage());
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ProblemDetail> input(ServerWebInputException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException limit) {
                return tooLarge(limit);
            }
        }
        return problem(HttpStatus.BAD_REQUEST, "Bad request", e.getReason());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        return ResponseEntity.status(status).body(detail(status, title, detail));
    }

    private static ProblemDetail detail(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
