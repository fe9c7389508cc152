package io.callstream.emulator.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.emulator.delivery.Deliveries;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The emulator's control API, for tests and demos (not part of ACS):
 * <ul>
 *   <li>{@code POST /emulator/incoming-calls} {@code {"from": "+1…", "to": "+1…", "callerDisplayName"?, "callerHangsUpOnAnswer"?}}
 *   rings the application: the IncomingCall goes through Event Grid to the configured subscriber.
 *   Answers 201 with {@code serverCallId}, {@code correlationId}, {@code incomingCallContext} and the
 *   subscriber's {@code deliveryStatus}. With {@code callerHangsUpOnAnswer} the caller gives up as
 *   the application answers, which gives AnswerFailed (487/0).</li>
 *   <li>{@code POST /emulator/eventgrid/deliveries} (a raw Event Grid delivery) and
 *   {@code POST /emulator/callbacks/deliveries?callbackUri=…} (a raw callback body) deliver a
 *   payload exactly as Event Grid or Call Automation would, with the same authentication, and
 *   answer with the receiver's status and body.</li>
 *   <li>{@code POST /emulator/callees} {@code {"rawId": "4:+1…" or "8:acs:…", "behaviour": "answer|decline|busy|noAnswer"}}
 *   sets how that callee treats calls and invitations from now on ({@link Callees}).</li>
 *   <li>{@code POST /emulator/delivery-mode} {@code {"duplicateAndReorder": true|false}}: deliver every
 *   callback twice, in random order, or once and in order (the default).</li>
 *   <li>{@code POST /emulator/calls/{callConnectionId}/dtmf} {@code {"tones": ["one", "pound"]}}: a
 *   participant presses keys, for a running recognize or continuous DTMF recognition.</li>
 *   <li>{@code POST /emulator/calls/{callConnectionId}/speech} {@code {"phrase": "…"}} or {@code {"label": "sales"}}:
 *   a participant speaks, for speech and choice recognition, or picks a choice by its label.</li>
 *   <li>{@code GET /emulator/calls}: every call connection's properties.</li>
 *   <li>{@code GET /emulator/answers}: {@code {"answers": [{"serverCallId", "answeredAt", "latencyMicros"}]}},
 *   oldest first: each answered call, when its AnswerCall arrived (ISO-8601) and how long it had
 *   rung by then, in microseconds (for {@code make bench}).</li>
 * </ul>
 */
@RestController
class ControlController {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallAutomation acs;
    private final Deliveries deliveries;
    private final Callees callees;

    ControlController(CallAutomation acs, Deliveries deliveries, Callees callees) {
        this.acs = acs;
        this.deliveries = deliveries;
        this.callees = callees;
    }

    @PostMapping("/emulator/incoming-calls")
    Mono<ResponseEntity<byte[]>> ring(@RequestBody byte[] body) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            return Mono.just(AcsError.badRequest("not JSON: " + e.getMessage(), null).toResponse());
        }
        String from = request.path("from").asText(null);
        String to = request.path("to").asText(null);
        if (from == null || to == null) {
            return Mono.just(AcsError.badRequest("from and to are required", from == null ? "from" : "to").toResponse());
        }
        CallAutomation.IncomingCallEvent ringing = acs.ring(from, to, request.path("callerDisplayName").asText(null),
                request.path("callerHangsUpOnAnswer").asBoolean(false));
        return deliveries.eventGrid(ringing.delivery()).map(response -> {
            ObjectNode result = JSON.createObjectNode()
                    .put("serverCallId", ringing.serverCallId())
                    .put("correlationId", ringing.correlationId())
                    .put("incomingCallContext", ringing.incomingCallContext())
                    .put("deliveryStatus", response.status());
            return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                    .body(result.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    @PostMapping("/emulator/callees")
    ResponseEntity<byte[]> callee(@RequestBody byte[] body) {
        try {
            JsonNode request = JSON.readTree(body);
            String rawId = request.path("rawId").asText(null);
            if (rawId == null || rawId.isBlank()) {
                return AcsError.badRequest("rawId is required", "rawId").toResponse();
            }
            callees.set(rawId.startsWith("+") ? "4:" + rawId : rawId, Callees.Behaviour.of(request.path("behaviour").asText(null)));
            return ResponseEntity.noContent().build();
        } catch (IOException e) {
            return AcsError.badRequest("not JSON: " + e.getMessage(), null).toResponse();
        } catch (AcsError e) {
            return e.toResponse();
        }
    }

    @PostMapping("/emulator/calls/{callConnectionId}/dtmf")
    ResponseEntity<byte[]> press(@org.springframework.web.bind.annotation.PathVariable String callConnectionId, @RequestBody byte[] body) {
        try {
            List<String> tones = new java.util.ArrayList<>();
            JSON.readTree(body).path("tones").forEach(t -> tones.add(t.asText()));
            acs.press(callConnectionId, tones);
            return ResponseEntity.noContent().build();
        } catch (IOException e) {
            return AcsError.badRequest("not JSON: " + e.getMessage(), null).toResponse();
        } catch (AcsError e) {
            return e.toResponse();
        }
    }

    @PostMapping("/emulator/calls/{callConnectionId}/speech")
    ResponseEntity<byte[]> say(@org.springframework.web.bind.annotation.PathVariable String callConnectionId, @RequestBody byte[] body) {
        try {
            JsonNode request = JSON.readTree(body);
            String phrase = request.path("phrase").asText(null);
            String label = request.path("label").asText(null);
            if ((phrase == null || phrase.isBlank()) == (label == null || label.isBlank())) {
                return AcsError.badRequest("give exactly one of phrase and label", "phrase").toResponse();
            }
            if (label != null) {
                acs.choose(callConnectionId, label);
            } else {
                acs.say(callConnectionId, phrase);
            }
            return ResponseEntity.noContent().build();
        } catch (IOException e) {
            return AcsError.badRequest("not JSON: " + e.getMessage(), null).toResponse();
        } catch (AcsError e) {
            return e.toResponse();
        }
    }

    @PostMapping("/emulator/delivery-mode")
    ResponseEntity<byte[]> deliveryMode(@RequestBody byte[] body) {
        try {
            acs.duplicateAndReorder(JSON.readTree(body).path("duplicateAndReorder").asBoolean(false));
            return ResponseEntity.noContent().build();
        } catch (IOException e) {
            return AcsError.badRequest("not JSON: " + e.getMessage(), null).toResponse();
        }
    }

    @PostMapping("/emulator/eventgrid/deliveries")
    Mono<ResponseEntity<byte[]>> eventGrid(@RequestBody byte[] body) {
        return deliveries.eventGrid(body).map(ControlController::mirror);
    }

    @PostMapping("/emulator/callbacks/deliveries")
    Mono<ResponseEntity<byte[]>> callback(@RequestParam URI callbackUri, @RequestBody byte[] body) {
        return deliveries.callback(callbackUri, body).map(ControlController::mirror);
    }

    @GetMapping("/emulator/answers")
    ResponseEntity<byte[]> answers() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(JSON.createObjectNode().set("answers", JSON.valueToTree(acs.answers().stream().map(a -> Map.of(
                        "serverCallId", a.serverCallId(), "answeredAt", a.answeredAt().toString(), "latencyMicros", a.latencyMicros())).toList()))
                        .toString().getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/emulator/calls")
    ResponseEntity<byte[]> calls() {
        List<ObjectNode> calls = acs.snapshot();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(JSON.valueToTree(calls).toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseEntity<byte[]> mirror(Deliveries.Response response) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(response.status());
        if (response.contentType() != null) {
            builder.contentType(MediaType.parseMediaType(response.contentType()));
        }
        return builder.body(response.body());
    }
}
