package io.callstream.emulator.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The Call Automation REST operations of the 2025-05-15 spec (and 2023-03-06, which the Java SDK
 * 1.0.4 sends) at the spec's paths: CreateCall, AnswerCall, RejectCall, RedirectCall,
 * CallConnection_GetCall, CallConnection_HangupCall, CallConnection_TerminateCall,
 * CallConnection_GetParticipants, CallConnection_GetParticipant, CallConnection_AddParticipant,
 * CallConnection_CancelAddParticipant, CallConnection_RemoveParticipant, Connect,
 * CallConnection_TransferToParticipant, (2025-08-15-preview) CallConnection_MoveParticipants, and the
 * media operations CallMedia_Play, CallMedia_CancelAllMediaOperations, CallConnection_Mute,
 * CallMedia_Hold, CallMedia_Unhold, CallMedia_SendDtmfTones, CallMedia_Start/StopContinuousDtmfRecognition,
 * CallMedia_Recognize, CallMedia_Start/StopMediaStreaming, CallMedia_Start/Update/StopTranscription, and
 * CallRecording_Start/GetRecordingProperties/Pause/Resume/StopRecording. Requests reach here only after their HMAC signature verified.
 */
@RestController
class CallConnectionsController {

    /** The api-versions the emulator speaks. */
    static final Set<String> API_VERSIONS = Set.of("2023-03-06", "2025-05-15", "2025-08-15-preview");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallAutomation acs;

    CallConnectionsController(CallAutomation acs) {
        this.acs = acs;
    }

    @PostMapping("/calling/callConnections")
    ResponseEntity<byte[]> createCall(@RequestParam("api-version") String apiVersion, @RequestBody(required = false) byte[] body) {
        return json(HttpStatus.CREATED, acs.createCall(object(body), version(apiVersion)));
    }

    @PostMapping("/calling/callConnections:answer")
    ResponseEntity<byte[]> answer(@RequestParam("api-version") String apiVersion, @RequestBody(required = false) byte[] body) {
        return json(HttpStatus.OK, acs.answerCall(object(body), version(apiVersion)));
    }

    @PostMapping("/calling/callConnections:reject")
    ResponseEntity<byte[]> reject(@RequestParam("api-version") String apiVersion, @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.rejectCall(object(body));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/calling/callConnections:redirect")
    ResponseEntity<byte[]> redirect(@RequestParam("api-version") String apiVersion, @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.redirectCall(object(body));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/calling/callConnections:connect")
    ResponseEntity<byte[]> connect(@RequestParam("api-version") String apiVersion, @RequestBody(required = false) byte[] body) {
        return json(HttpStatus.OK, acs.connect(object(body), version(apiVersion)));
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:transferToParticipant")
    ResponseEntity<byte[]> transfer(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                    @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        return json(HttpStatus.ACCEPTED, acs.transfer(callConnectionId, object(body)));
    }

    @PostMapping("/calling/callConnections/{callConnectionId}/participants:moveHere")
    ResponseEntity<byte[]> moveHere(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                    @RequestBody(required = false) byte[] body) {
        if (!"2025-08-15-preview".equals(apiVersion)) {
            throw AcsError.badRequest("MoveParticipants needs api-version 2025-08-15-preview.", "api-version");
        }
        return json(HttpStatus.ACCEPTED, acs.moveHere(callConnectionId, object(body)));
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:play")
    ResponseEntity<byte[]> play(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.play(callConnectionId, object(body));
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:recognize")
    ResponseEntity<byte[]> recognize(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                     @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.recognize(callConnectionId, object(body));
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:startMediaStreaming")
    ResponseEntity<byte[]> startMediaStreaming(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                    @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.startMediaStreaming(callConnectionId, body == null || body.length == 0 ? JSON.createObjectNode() : object(body));
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:stopMediaStreaming")
    ResponseEntity<byte[]> stopMediaStreaming(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                    @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.stopMediaStreaming(callConnectionId, body == null || body.length == 0 ? JSON.createObjectNode() : object(body));
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:startTranscription")
    ResponseEntity<byte[]> startTranscription(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                    @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.startTranscription(callConnectionId, body == null || body.length == 0 ? JSON.createObjectNode() : object(body));
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:updateTranscription")
    ResponseEntity<byte[]> updateTranscription(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                    @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.updateTranscription(callConnectionId, body == null || body.length == 0 ? JSON.createObjectNode() : object(body));
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:stopTranscription")
    ResponseEntity<byte[]> stopTranscription(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                    @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.stopTranscription(callConnectionId, body == null || body.length == 0 ? JSON.createObjectNode() : object(body));
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:cancelAllMediaOperations")
    ResponseEntity<byte[]> cancelAllMediaOperations(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId) {
        version(apiVersion);
        acs.cancelAllMediaOperations(callConnectionId);
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}/participants:mute")
    ResponseEntity<byte[]> mute(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        return json(HttpStatus.OK, acs.mute(callConnectionId, object(body)));
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:hold")
    ResponseEntity<byte[]> hold(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.hold(callConnectionId, object(body));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:unhold")
    ResponseEntity<byte[]> unhold(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                  @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.unhold(callConnectionId, object(body));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:sendDtmfTones")
    ResponseEntity<byte[]> sendDtmfTones(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                         @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        return json(HttpStatus.ACCEPTED, acs.sendDtmfTones(callConnectionId, object(body)));
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:startContinuousDtmfRecognition")
    ResponseEntity<byte[]> startContinuousDtmf(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                               @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.startContinuousDtmfRecognition(callConnectionId, object(body));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:stopContinuousDtmfRecognition")
    ResponseEntity<byte[]> stopContinuousDtmf(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                              @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        acs.stopContinuousDtmfRecognition(callConnectionId, object(body));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}/participants:add")
    ResponseEntity<byte[]> addParticipant(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                          @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        return json(HttpStatus.ACCEPTED, acs.addParticipant(callConnectionId, object(body)));
    }

    @PostMapping("/calling/callConnections/{callConnectionId}/participants:cancelAddParticipant")
    ResponseEntity<byte[]> cancelAddParticipant(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                                @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        return json(HttpStatus.ACCEPTED, acs.cancelAddParticipant(callConnectionId, object(body)));
    }

    @PostMapping("/calling/callConnections/{callConnectionId}/participants:remove")
    ResponseEntity<byte[]> removeParticipant(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                             @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        return json(HttpStatus.ACCEPTED, acs.removeParticipant(callConnectionId, object(body)));
    }

    @PostMapping("/calling/recordings")
    ResponseEntity<byte[]> startRecording(@RequestParam("api-version") String apiVersion, @RequestBody(required = false) byte[] body) {
        version(apiVersion);
        return json(HttpStatus.OK, acs.startRecording(object(body)));
    }

    @GetMapping("/calling/recordings/{recordingId}")
    ResponseEntity<byte[]> getRecording(@RequestParam("api-version") String apiVersion, @PathVariable String recordingId) {
        version(apiVersion);
        return json(HttpStatus.OK, acs.getRecording(recordingId));
    }

    @PostMapping("/calling/recordings/{recordingId}:pause")
    ResponseEntity<byte[]> pauseRecording(@RequestParam("api-version") String apiVersion, @PathVariable String recordingId) {
        version(apiVersion);
        acs.pauseRecording(recordingId);
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/calling/recordings/{recordingId}:resume")
    ResponseEntity<byte[]> resumeRecording(@RequestParam("api-version") String apiVersion, @PathVariable String recordingId) {
        version(apiVersion);
        acs.resumeRecording(recordingId);
        return ResponseEntity.accepted().build();
    }

    @DeleteMapping("/calling/recordings/{recordingId}")
    ResponseEntity<byte[]> stopRecording(@RequestParam("api-version") String apiVersion, @PathVariable String recordingId) {
        version(apiVersion);
        acs.stopRecording(recordingId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/calling/callConnections/{callConnectionId}")
    ResponseEntity<byte[]> getCall(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId) {
        version(apiVersion);
        return json(HttpStatus.OK, acs.getCall(callConnectionId));
    }

    @DeleteMapping("/calling/callConnections/{callConnectionId}")
    ResponseEntity<byte[]> hangUp(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId) {
        version(apiVersion);
        acs.hangUp(callConnectionId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/calling/callConnections/{callConnectionId}:terminate")
    ResponseEntity<byte[]> terminate(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId) {
        version(apiVersion);
        acs.terminate(callConnectionId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/calling/callConnections/{callConnectionId}/participants")
    ResponseEntity<byte[]> participants(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId) {
        version(apiVersion);
        return json(HttpStatus.OK, acs.participants(callConnectionId));
    }

    @GetMapping("/calling/callConnections/{callConnectionId}/participants/{participantRawId}")
    ResponseEntity<byte[]> participant(@RequestParam("api-version") String apiVersion, @PathVariable String callConnectionId,
                                       @PathVariable String participantRawId) {
        version(apiVersion);
        return json(HttpStatus.OK, acs.participant(callConnectionId, URLDecoder.decode(participantRawId, StandardCharsets.UTF_8)));
    }

    @ExceptionHandler(AcsError.class)
    ResponseEntity<byte[]> acsError(AcsError error) {
        return error.toResponse();
    }

    private static String version(String apiVersion) {
        if (!API_VERSIONS.contains(apiVersion)) {
            throw AcsError.badRequest("The api-version '" + apiVersion + "' is not supported; use one of " + API_VERSIONS + ".", "api-version");
        }
        return apiVersion;
    }

    private static ObjectNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw AcsError.badRequest("A request body is required.", null);
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            throw AcsError.badRequest("The request body is not valid JSON: " + e.getMessage(), null);
        }
        throw AcsError.badRequest("The request body must be a JSON object.", null);
    }

    private static ResponseEntity<byte[]> json(HttpStatus status, JsonNode body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
