package io.callstream.emulator.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.emulator.calls.AcsError;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The emulator's fault controls (not part of ACS):
 * <ul>
 *   <li>{@code POST /emulator/faults} {@code {"status": 429|500|503|…, "retryAfterSeconds"?: n, "count"?: n}}:
 *   the next {@code count} Call Automation requests (all of them without {@code count}) are
 *   answered with {@code status} and not executed;</li>
 *   <li>{@code POST /emulator/faults} {@code {"delayMs": n, "count"?: n}}: they are executed but
 *   answered {@code n} ms late, which a client with a shorter timeout sees as a timeout;</li>
 *   <li>{@code DELETE /emulator/faults}: no more faults;</li>
 *   <li>{@code GET /emulator/requests}: the {@link RequestLedger}'s counts.</li>
 * </ul>
 * Answers 204, or 400 with ACS's error shape for a body that is not one of the above.
 */
@RestController
class FaultsController {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Faults faults;
    private final RequestLedger ledger;

    FaultsController(Faults faults, RequestLedger ledger) {
        this.faults = faults;
        this.ledger = ledger;
    }

    @PostMapping("/emulator/faults")
    ResponseEntity<byte[]> inject(@RequestBody byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            return AcsError.badRequest("not JSON: " + e.getMessage(), null).toResponse();
        }
        if (json == null || !json.isObject()) {
            return AcsError.badRequest("a JSON object is required", null).toResponse();
        }
        int status = json.path("status").asInt(0);
        long delayMs = json.path("delayMs").asLong(0);
        int count = json.has("count") ? json.path("count").asInt(0) : -1;
        if ((status == 0) == (delayMs <= 0)) {
            return AcsError.badRequest("give either status (400-599) or delayMs (> 0)", "status").toResponse();
        }
        if (status != 0 && (status < 400 || status > 599)) {
            return AcsError.badRequest("status must be 400-599", "status").toResponse();
        }
        if (json.has("count") && count < 1) {
            return AcsError.badRequest("count must be 1 or more", "count").toResponse();
        }
        Duration retryAfter = json.has("retryAfterSeconds") ? Duration.ofSeconds(json.path("retryAfterSeconds").asLong()) : null;
        faults.set(new Faults.Fault(status, retryAfter, Duration.ofMillis(delayMs), count));
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/emulator/faults")
    ResponseEntity<Void> clear() {
        faults.clear();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/emulator/requests")
    ResponseEntity<byte[]> requests() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(JSON.valueToTree(ledger.counts()).toString().getBytes(StandardCharsets.UTF_8));
    }
}
