package io.callstream.emulator.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.emulator.delivery.Deliveries;
import io.callstream.emulator.system.EmulatorProperties;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The emulated Call Automation service: its calls, their connections (the application's legs),
 * and the callbacks each operation produces, in the order and shape of EVENT-SEQUENCES.md §5.
 *
 * <p>Callbacks are sent one at a time from a single thread, so one call's events reach the
 * receiver in emission order; each is scheduled {@code eventDelay} after the previous step.
 */
@Component
public class CallAutomation {

    private static final Logger log = LoggerFactory.getLogger(CallAutomation.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");

    /** R3's result information texts. */
    static final String ENDED_BY_API = "Call was ended by Azure Communication Service Call Automation API or a server bot. DiagCode: 0#7000.@";
    static final String ENDED_BY_OTHER = "This conversation has ended.. DiagCode: 0#5001.@";

    /** One call: shared by all its legs. */
    static final class Call {
        final String serverCallId;
        final String correlationId;
        final AtomicInteger sequenceNumber = new AtomicInteger();
        final List<String> participants = new CopyOnWriteArrayList<>();
        final java.util.Set<String> muted = ConcurrentHashMap.newKeySet();
        final java.util.Set<String> onHold = ConcurrentHashMap.newKeySet();
        final List<Connection> connections = new CopyOnWriteArrayList<>();

        Call(String serverCallId, String correlationId) {
            this.serverCallId = serverCallId;
            this.correlationId = correlationId;
        }
    }

    /** One call connection: the application's leg, with its callback URI. */
    static final class Connection {
        final String callConnectionId;
        final Call call;
        final URI callbackUri;
        final String apiVersion;
        final ObjectNode request;
        volatile String state = "connecting";
        /** The running play, if any: what cancelAllMediaOperations cancels. */
        volatile MediaOperation play;
        /** Continuous DTMF recognition, if started: who is listened to, where tones go. */
        volatile DtmfRecognition dtmf;
        /** The operationContext of the running media streaming, or {@code null} when none runs. */
        volatile String streaming;
        /** The operationContext of the running transcription, or {@code null} when none runs. */
        volatile String transcribing;
        /** A running recognize, if any. */
        volatile Recognition recognize;
        /** Hold music playing for a held participant, if any. */
        volatile MediaOperation holdMusic;

        Connection(String callConnectionId, Call call, URI callbackUri, String apiVersion, ObjectNode request) {
            this.callConnectionId = callConnectionId;
            this.call = call;
            this.callbackUri = callbackUri;
            this.apiVersion = apiVersion;
            this.request = request;
        }
    }

    /** A running media operation: its callback target, context and scheduled completion. */
    record MediaOperation(String operationContext, URI callback, java.util.concurrent.ScheduledFuture<?> completion) {
    }

    /** A recording of a call: where its state goes, and what it was asked to be. */
    static final class Recording {
        final String recordingId;
        final Connection connection;
        final URI stateCallback;
        final ObjectNode request;
        final OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        volatile String state;

        Recording(String recordingId, Connection connection, URI stateCallback, ObjectNode request, String state) {
            this.recordingId = recordingId;
            this.connection = connection;
            this.stateCallback = stateCallback;
            this.request = request;
            this.state = state;
        }
    }

    /** A running recognize: its request, the tones so far, and the pending timeout. */
    static final class Recognition {
        final String type;
        final String participant;
        final JsonNode options;
        final String operationContext;
        final URI callback;
        final List<String> tones = new ArrayList<>();
        volatile java.util.concurrent.ScheduledFuture<?> timeout;

        Recognition(String type, String participant, JsonNode options, String operationContext, URI callback) {
            this.type = type;
            this.participant = participant;
            this.options = options;
            this.operationContext = operationContext;
            this.callback = callback;
        }
    }

    /** Continuous DTMF recognition on a leg; {@code sequenceId} numbers the tones (R21). */
    record DtmfRecognition(String participant, String operationContext, URI callback, AtomicInteger sequenceId) {
    }

    /** A pending AddParticipant invitation; {@code outcome} is the scheduled answer, decline or timeout. */
    record Invitation(String invitationId, Connection connection, String rawId, String operationContext, URI callback,
                      java.util.concurrent.ScheduledFuture<?> outcome) {
    }

    /**
     * An incoming call that rang the application and waits for answer, reject or redirect.
     *
     * @param rangAt {@link System#nanoTime()} when the IncomingCall was about to be delivered
     */
    record Incoming(Call call, String from, String to, boolean abandonsOnAnswer, long rangAt) {
    }

    /**
     * An answered call, for {@code make bench}.
     *
     * @param serverCallId the call that rang
     * @param answeredAt when its AnswerCall request arrived (wall clock)
     * @param latencyMicros microseconds from the emulator handing its IncomingCall to Event Grid
     *     delivery to the AnswerCall request arriving
     */
    public record Answer(String serverCallId, Instant answeredAt, long latencyMicros) {
    }

    private final java.util.Queue<Answer> answers = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, Incoming> incoming = new ConcurrentHashMap<>();
    private final Map<String, Invitation> invitations = new ConcurrentHashMap<>();
    private final Map<String, Call> groupCalls = new ConcurrentHashMap<>();
    private final Map<String, Recording> recordings = new ConcurrentHashMap<>();
    private final Callees callees;
    private final ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "emulator-callbacks");
        t.setDaemon(true);
        return t;
    });
    private final Deliveries deliveries;
    private final long delayMillis;
    /** The robustness switch of R26: when on, every callback is sent twice, each copy after a random delay. */
    private volatile boolean duplicateAndReorder;
    private final ScheduledExecutorService scrambled = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "emulator-callbacks-scrambled");
        t.setDaemon(true);
        return t;
    });
    private final String callConnectionPrefix = String.format("%08x", (int) (Math.random() * Integer.MAX_VALUE));

    CallAutomation(Deliveries deliveries, EmulatorProperties properties, Callees callees) {
        this.deliveries = deliveries;
        this.callees = callees;
        this.delayMillis = properties.eventDelay().toMillis();
    }

    @PreDestroy
    void stop() {
        events.shutdownNow();
        scrambled.shutdownNow();
    }

    /**
     * Turns the duplicate-and-reorder delivery mode on or off (EVENT-SEQUENCES.md R26). On, each
     * callback is delivered twice, each copy after its own random delay of up to four event
     * delays, so that callbacks arrive duplicated and out of order, as the real service sometimes
     * delivers them. Off (the default), callbacks go once, in order.
     */
    void duplicateAndReorder(boolean on) {
        this.duplicateAndReorder = on;
    }

    // ---------------------------------------------------------------------------- operations

    /**
     * CreateCall: a new call whose targets answer; emits CallConnected then ParticipantsUpdated s1 (R4).
     *
     * @throws AcsError 400 for a request the spec or the service refuses
     */
    ObjectNode createCall(ObjectNode request, String apiVersion) {
        JsonNode targets = request.path("targets");
        if (!targets.isArray() || targets.isEmpty()) {
            throw AcsError.badRequest("The Targets field is required.", "targets");
        }
        URI callbackUri = callbackUri(request);
        List<String> rawIds = new ArrayList<>();
        for (JsonNode target : targets) {
            String rawId = Identifiers.rawIdOf(target);
            if (rawId == null) {
                throw AcsError.badRequest("A target has no identifier.", "targets");
            }
            rawIds.add(rawId);
        }
        rawIds.forEach(rawId -> requireCallerIdFor(rawId, request));
        String callerId = request.path("sourceCallerIdNumber").path("value").asText(null);
        Call call = newCall();
        String source = Identifiers.rawIdOf(request.has("source") ? request.get("source") : request.get("sourceIdentity"));
        if (source != null) {
            call.participants.add(source);
        } else if (callerId != null) {
            call.participants.add("4:" + callerId);
        }
        call.participants.addAll(rawIds);
        Connection connection = connect(call, callbackUri, apiVersion, request);
        Callees.Failure failure = rawIds.size() == 1 ? Callees.failure(callees.of(rawIds.getFirst()), rawIds.getFirst()) : null;
        if (failure == null) {
            schedule(1, () -> connected(connection));
        } else {
            // R5: no CallConnected or ParticipantsUpdated; CallDisconnected is delivered before CreateCallFailed.
            schedule(2, () -> {
                disconnected(connection, failure.code(), failure.subCode(), failure.callMessage());
                send(connection, "CreateCallFailed", callbackData(connection, failure.code(), failure.subCode(), failure.callMessage(), true));
            });
        }
        return properties(connection);
    }

    /** Every answered call and how long it rang, oldest first. */
    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** AnswerCall: connects the application to a ringing call; emits CallConnected then ParticipantsUpdated s1. */
    ObjectNode answerCall(ObjectNode request, String apiVersion) {
        String context = request.path("incomingCallContext").asText(null);
        if (context == null || context.isBlank()) {
            throw AcsError.badRequest("The IncomingCallContext field is required.", "incomingCallContext");
        }
        URI callbackUri = callbackUri(request);
        Incoming ringing = incoming.remove(context);
        if (ringing == null) {
            throw AcsError.badRequest("IncomingCallContext is invalid, or the call was already answered, rejected or redirected.", "incomingCallContext");
        }
        answers.add(new Answer(ringing.call.serverCallId, Instant.now(), (System.nanoTime() - ringing.rangAt()) / 1_000));
        Connection connection = connect(ringing.call, callbackUri, apiVersion, request);
        if (ringing.abandonsOnAnswer()) {
            // The caller gave up as the application answered: AnswerFailed, and no CallConnected.
            schedule(1, () -> {
                connection.state = "disconnected";
                send(connection, "AnswerFailed", callbackData(connection, 487, 0,
                        "Call ended successfully as caller canceled the call. DiagCode: 487#0.@", true));
            });
            return properties(connection);
        }
        ringing.call.participants.add(ringing.from);
        ringing.call.participants.add(ringing.to);
        schedule(1, () -> connected(connection));
        return properties(connection);
    }

    /** CallConnection_GetCall. */
    ObjectNode getCall(String callConnectionId) {
        return properties(connection(callConnectionId));
    }

    /** CallConnection_GetParticipants: {@code {value: [CallParticipant]}}. */
    ObjectNode participants(String callConnectionId) {
        Connection connection = connection(callConnectionId);
        ObjectNode body = JSON.createObjectNode();
        body.set("value", participantList(connection.call));
        return body;
    }

    /** CallConnection_GetParticipant by raw id. */
    ObjectNode participant(String callConnectionId, String rawId) {
        Connection connection = connection(callConnectionId);
        if (!connection.call.participants.contains(rawId)) {
            throw AcsError.notFound("Participant " + rawId + " is not in the call.");
        }
        return participant(connection.call, rawId);
    }

    /** CallConnection_HangupCall: this leg leaves; CallDisconnected 7000 to it (R6). */
    void hangUp(String callConnectionId) {
        Connection connection = liveConnection(callConnectionId);
        connection.state = "disconnecting";
        schedule(1, () -> disconnected(connection, 7000, ENDED_BY_API));
    }

    /** CallConnection_TerminateCall: ends the call; 7000 to this leg, 5001 to the others, no ParticipantsUpdated (R6). */
    void terminate(String callConnectionId) {
        Connection connection = liveConnection(callConnectionId);
        for (Connection leg : connection.call.connections) {
            leg.state = "disconnecting";
        }
        schedule(1, () -> {
            disconnected(connection, 7000, ENDED_BY_API);
            for (Connection leg : connection.call.connections) {
                if (leg != connection) {
                    disconnected(leg, 5001, ENDED_BY_OTHER);
                }
            }
        });
    }

    /** RejectCall: the ringing call is declined; no events (EVENT-SEQUENCES §3.2 shows only the caller's side). */
    void rejectCall(ObjectNode request) {
        String reason = request.path("callRejectReason").asText("none");
        if (!List.of("none", "busy", "forbidden").contains(reason)) {
            throw AcsError.badRequest("CallRejectReason must be none, busy or forbidden.", "callRejectReason");
        }
        ringing(request, true);
    }

    /**
     * RedirectCall: the ringing call goes to another target; no events. A VoIP call cannot be
     * redirected to a phone number (Call Automation overview).
     */
    void redirectCall(ObjectNode request) {
        String target = requiredIdentifier(request, "target");
        Incoming call = ringing(request, false);
        if (target.startsWith("4:") && !call.from().startsWith("4:")) {
            throw new AcsError(org.springframework.http.HttpStatus.BAD_REQUEST, "8551",
                    "Redirecting a VoIP call to a phone number is not supported.", "target");
        }
        incoming.remove(request.path("incomingCallContext").asText());
    }

    /**
     * CallConnection_AddParticipant (R14): a ParticipantsUpdated with the unchanged list on every
     * leg when the invitation goes out; then, as the callee behaves, the new list on every leg and
     * AddParticipantSucceeded, or AddParticipantFailed, to the requesting leg (or the
     * operationCallbackUri).
     *
     * @return {@code AddParticipantResponse{participant, operationContext, invitationId}}
     */
    ObjectNode addParticipant(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String rawId = requiredIdentifier(request, "participantToAdd");
        requireCallerIdFor(rawId, request);
        validateCustomCallingContext(request);
        int timeout = request.path("invitationTimeoutInSeconds").asInt(60);
        if (timeout < 0 || timeout > 180) {
            throw AcsError.badRequest("InvitationTimeoutInSeconds must be between 0 and 180.", "invitationTimeoutInSeconds");
        }
        if (connection.call.participants.contains(rawId)) {
            throw new AcsError(org.springframework.http.HttpStatus.BAD_REQUEST, "8523", "The participant is already in the call.", "participantToAdd");
        }
        String invitationId = UUID.randomUUID().toString();
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        schedule(1, () -> participantsUpdated(connection.call));
        Callees.Behaviour behaviour = callees.of(rawId);
        long ring = behaviour == Callees.Behaviour.NO_ANSWER ? Math.max(1, timeout) * 1000L : 3 * delayMillis;
        var outcome = events.schedule(guarded(() -> {
            if (invitations.remove(invitationId) == null) {
                return;
            }
            Callees.Failure failure = Callees.failure(behaviour, rawId);
            ObjectNode data = JSON.createObjectNode();
            data.set("participant", Identifiers.fromRawId(rawId));
            if (failure == null) {
                connection.call.participants.add(rawId);
                participantsUpdated(connection.call);
                data.setAll(operationData(connection, context, 200, 0, ""));
                send(connection, "AddParticipantSucceeded", data, callback);
            } else {
                data.setAll(operationData(connection, context, failure.code(), failure.subCode(), failure.participantMessage(rawId)));
                send(connection, "AddParticipantFailed", data, callback);
            }
        }), ring + delayMillis, TimeUnit.MILLISECONDS);
        invitations.put(invitationId, new Invitation(invitationId, connection, rawId, context, callback, outcome));
        ObjectNode response = JSON.createObjectNode();
        response.set("participant", participant(rawId));
        if (context != null) {
            response.put("operationContext", context);
        }
        return response.put("invitationId", invitationId);
    }

    /**
     * CallConnection_CancelAddParticipant (R16): a pending invitation is withdrawn and
     * CancelAddParticipantSucceeded (487/5234) follows, with no AddParticipantFailed. An invitation
     * already answered, failed or unknown gets CancelAddParticipantFailed (409/8519).
     *
     * @return {@code CancelAddParticipantResponse{invitationId, operationContext}}
     */
    ObjectNode cancelAddParticipant(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String invitationId = request.path("invitationId").asText(null);
        if (invitationId == null || invitationId.isBlank()) {
            throw AcsError.badRequest("The InvitationId field is required.", "invitationId");
        }
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        Invitation invitation = invitations.remove(invitationId);
        if (invitation != null) {
            invitation.outcome().cancel(false);
        }
        schedule(2, () -> {
            ObjectNode data = JSON.createObjectNode().put("invitationId", invitationId);
            if (invitation != null) {
                data.setAll(operationData(connection, context, 487, 5234, new Callees.Failure(487, 5234, "The Call Has Been Cancelled")
                        .participantMessage(invitation.rawId())));
                send(connection, "CancelAddParticipantSucceeded", data, callback);
            } else {
                data.setAll(operationData(connection, context, 409, 8519,
                        "Cancel add participant failed: the invitation was already answered, has ended or does not exist. DiagCode: 409#8519.@"));
                send(connection, "CancelAddParticipantFailed", data, callback);
            }
        });
        ObjectNode response = JSON.createObjectNode().put("invitationId", invitationId);
        return context == null ? response : response.put("operationContext", context);
    }

    /**
     * CallConnection_RemoveParticipant (R15): RemoveParticipantSucceeded to the requester, then the
     * reduced list on every leg, or CallDisconnected 5002 to the requester when nobody else is
     * left. Someone not in the call gets RemoveParticipantFailed (404/8522).
     *
     * @return {@code RemoveParticipantResponse{operationContext}}
     */
    ObjectNode removeParticipant(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String rawId = requiredIdentifier(request, "participantToRemove");
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        schedule(1, () -> {
            ObjectNode data = JSON.createObjectNode();
            data.set("participant", Identifiers.fromRawId(rawId));
            if (!connection.call.participants.remove(rawId)) {
                data.setAll(operationData(connection, context, 404, 8522, "Participant not found in the call. DiagCode: 404#8522.@"));
                send(connection, "RemoveParticipantFailed", data, callback);
                return;
            }
            data.setAll(operationData(connection, context, 200, 0, ""));
            send(connection, "RemoveParticipantSucceeded", data, callback);
            if (connection.call.participants.size() <= 1) {
                disconnected(connection, 5002, "The conversation has ended. DiagCode: 0#5002.@");
            } else {
                participantsUpdated(connection.call);
            }
        });
        ObjectNode response = JSON.createObjectNode();
        return context == null ? response : response.put("operationContext", context);
    }

    /**
     * Connect: a new leg on a running call, found by its server call, group or room locator (a
     * group or room call starts when first connected to). The leg gets CallConnected and its first
     * ParticipantsUpdated at the call's next sequenceNumber; the other legs get nothing (§3.3). An
     * unknown server call gets ConnectFailed 404/8522.
     */
    ObjectNode connect(ObjectNode request, String apiVersion) {
        JsonNode locator = request.path("callLocator");
        String kind = locator.path("kind").asText("");
        URI callbackUri = callbackUri(request);
        Call call = switch (kind) {
            case "serverCallLocator" -> connections.values().stream().map(c -> c.call)
                    .filter(c -> c.serverCallId.equals(locator.path("serverCallId").asText())).findFirst().orElse(null);
            case "groupCallLocator" -> groupCalls.computeIfAbsent("group:" + required(locator, "groupCallId"), k -> newCall());
            case "roomCallLocator" -> groupCalls.computeIfAbsent("room:" + required(locator, "roomId"), k -> newCall());
            default -> throw AcsError.badRequest("CallLocator.kind must be serverCallLocator, groupCallLocator or roomCallLocator.", "callLocator.kind");
        };
        if (call == null) {
            Call unknown = new Call(locator.path("serverCallId").asText(), UUID.randomUUID().toString());
            Connection failed = connect(unknown, callbackUri, apiVersion, request);
            schedule(1, () -> {
                failed.state = "disconnected";
                send(failed, "ConnectFailed", callbackData(failed, 404, 8522, "Call not found. DiagCode: 404#8522.@", true));
            });
            return properties(failed);
        }
        Connection connection = connect(call, callbackUri, apiVersion, request);
        schedule(1, () -> connected(connection));
        return properties(connection);
    }

    /**
     * CallConnection_TransferToParticipant: CallTransferAccepted (200/7015) to the requester; a 1:1
     * transfer then ends the application's leg (CallDisconnected 7015), a transfer with a transferee
     * takes the transferee out of the call. A target that declines, is busy or does not answer gives
     * CallTransferFailed, and the call stays connected.
     *
     * @return {@code TransferCallResponse{operationContext}}
     */
    ObjectNode transfer(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String target = requiredIdentifier(request, "targetParticipant");
        requireCallerIdFor(target, request);
        validateCustomCallingContext(request);
        String transferee = request.has("transferee") ? Identifiers.rawIdOf(request.get("transferee")) : null;
        if (transferee != null && !connection.call.participants.contains(transferee)) {
            throw AcsError.badRequest("The transferee is not in the call.", "transferee");
        }
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        Callees.Failure failure = Callees.failure(callees.of(target), target);
        schedule(2, () -> {
            ObjectNode data = JSON.createObjectNode();
            if (failure != null) {
                data.setAll(operationData(connection, context, failure.code(), failure.subCode(), failure.participantMessage(target)));
                send(connection, "CallTransferFailed", data, callback);
                return;
            }
            data.set("transferTarget", Identifiers.fromRawId(target));
            if (transferee != null) {
                data.set("transferee", Identifiers.fromRawId(transferee));
            }
            data.setAll(operationData(connection, context, 200, 7015, "The transfer operation completed successfully."));
            send(connection, "CallTransferAccepted", data, callback);
            if (transferee == null) {
                disconnected(connection, 7015, "Call ended as the transfer completed successfully. DiagCode: 0#7015.@");
            } else {
                connection.call.participants.remove(transferee);
                participantsUpdated(connection.call);
            }
        });
        ObjectNode response = JSON.createObjectNode();
        return context == null ? response : response.put("operationContext", context);
    }

    /**
     * CallConnection_MoveParticipants (2025-08-15-preview): each participant leaves the {@code fromCall}
     * connection's call and joins this one; MoveParticipantSucceeded for each, or MoveParticipantFailed
     * (404/8522) for one not in that call, then ParticipantsUpdated on both calls.
     *
     * @return {@code MoveParticipantsResponse{participants, operationContext, fromCall}}
     */
    ObjectNode moveHere(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String fromCall = required(request, "fromCall");
        Connection from = connections.get(fromCall);
        if (from == null) {
            throw new AcsError(org.springframework.http.HttpStatus.NOT_FOUND, "8522", "Call not found: " + fromCall, "fromCall");
        }
        List<String> targets = new ArrayList<>();
        request.path("targetParticipants").forEach(t -> targets.add(Identifiers.rawIdOf(t)));
        if (targets.isEmpty() || targets.contains(null)) {
            throw AcsError.badRequest("TargetParticipants must name at least one participant.", "targetParticipants");
        }
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        schedule(1, () -> {
            for (String rawId : targets) {
                ObjectNode data = JSON.createObjectNode();
                data.set("participant", Identifiers.fromRawId(rawId));
                data.put("fromCall", fromCall);
                if (from.call.participants.remove(rawId)) {
                    connection.call.participants.add(rawId);
                    data.setAll(operationData(connection, context, 200, 0, ""));
                    send(connection, "MoveParticipantSucceeded", data, callback);
                } else {
                    data.setAll(operationData(connection, context, 404, 8522, "Participant not found in the source call. DiagCode: 404#8522.@"));
                    send(connection, "MoveParticipantFailed", data, callback);
                }
            }
            participantsUpdated(connection.call);
            participantsUpdated(from.call);
        });
        ObjectNode response = JSON.createObjectNode();
        ArrayNode moved = response.putArray("participants");
        targets.forEach(rawId -> moved.add(participant(rawId)));
        if (context != null) {
            response.put("operationContext", context);
        }
        return response.put("fromCall", fromCall);
    }

    // --------------------------------------------------------------------------------- media

    /**
     * CallMedia_Play (R17): PlayStarted, then PlayCompleted after the media's length (five event
     * delays per source here). A source that cannot be fetched ({@code unreachable} in its URL) fails
     * with 400/8536, a file that is not WAV with 400/8535: source 0 gives PlayFailed alone, a later
     * one PlayStarted then PlayFailed, each with {@code failedPlaySourceIndex}. A looped play runs
     * until cancelled.
     */
    void play(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        JsonNode sources = request.path("playSources");
        if (!sources.isArray() || sources.isEmpty()) {
            throw AcsError.badRequest("The PlaySources field is required.", "playSources");
        }
        int failedIndex = -1;
        int subCode = 0;
        for (int i = 0; i < sources.size() && failedIndex < 0; i++) {
            JsonNode source = sources.get(i);
            String kind = source.path("kind").asText("");
            switch (kind) {
                case "file" -> {
                    String uri = source.path("file").path("uri").asText("");
                    if (uri.isBlank()) {
                        throw AcsError.badRequest("PlaySources[" + i + "].file.uri is required.", "playSources[" + i + "].file.uri");
                    }
                    if (uri.contains("unreachable")) {
                        failedIndex = i;
                        subCode = 8536;
                    } else if (!uri.toLowerCase(java.util.Locale.ROOT).endsWith(".wav")) {
                        failedIndex = i;
                        subCode = 8535;
                    }
                }
                case "text" -> {
                    if (source.path("text").path("text").asText("").isBlank()) {
                        throw AcsError.badRequest("PlaySources[" + i + "].text.text is required.", "playSources[" + i + "].text.text");
                    }
                }
                case "ssml" -> {
                    if (source.path("ssml").path("ssmlText").asText("").isBlank()) {
                        throw AcsError.badRequest("PlaySources[" + i + "].ssml.ssmlText is required.", "playSources[" + i + "].ssml.ssmlText");
                    }
                }
                default -> throw AcsError.badRequest("PlaySources[" + i + "].kind must be file, text or ssml.", "playSources[" + i + "].kind");
            }
        }
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        boolean loop = request.path("playOptions").path("loop").asBoolean(false);
        int failed = failedIndex;
        int failure = subCode;
        if (failed != 0) {
            schedule(1, () -> send(connection, "PlayStarted", operationData(connection, context, 200, 0, "Action completed successfully."), callback));
        }
        long length = failed >= 0 ? (failed + 1) * 2L : 5L * sources.size();
        var completion = events.schedule(guarded(() -> {
            connection.play = null;
            if (failed >= 0) {
                ObjectNode data = JSON.createObjectNode().put("failedPlaySourceIndex", failed);
                data.setAll(operationData(connection, context, 400, failure, failure == 8536
                        ? "Action failed, file could not be downloaded." : "Action failed, file format is invalid."));
                send(connection, "PlayFailed", data, callback);
            } else {
                send(connection, "PlayCompleted", operationData(connection, context, 200, 0, "Action completed successfully."), callback);
            }
        }), loop && failed < 0 ? TimeUnit.DAYS.toMillis(1) : (1 + length) * delayMillis, TimeUnit.MILLISECONDS);
        connection.play = new MediaOperation(context, callback, completion);
    }

    /** CallMedia_CancelAllMediaOperations: a running play ends with PlayCanceled 400/8508. */
    void cancelAllMediaOperations(String callConnectionId) {
        Connection connection = established(callConnectionId);
        Recognition recognition = connection.recognize;
        if (recognition != null) {
            schedule(1, () -> finishRecognize(connection, recognition, "RecognizeCanceled", 400, 8508,
                    "Action failed, the operation was canceled.", data -> { }));
        }
        MediaOperation play = connection.play;
        if (play != null && play.completion().cancel(false)) {
            connection.play = null;
            schedule(1, () -> send(connection, "PlayCanceled",
                    operationData(connection, play.operationContext(), 400, 8508, "Action failed, the operation was canceled."), play.callback()));
        }
    }

    /** CallConnection_Mute (R10): no operation event; a ParticipantsUpdated shows the target muted on every leg. */
    ObjectNode mute(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        JsonNode targets = request.path("targetParticipants");
        if (!targets.isArray() || targets.isEmpty()) {
            throw AcsError.badRequest("The TargetParticipants field is required.", "targetParticipants");
        }
        for (JsonNode target : targets) {
            String rawId = Identifiers.rawIdOf(target);
            if (rawId == null || !rawId.startsWith("8:acs:")) {
                throw AcsError.badRequest("Only Communication Services users can be muted.", "targetParticipants");
            }
            if (!connection.call.participants.contains(rawId)) {
                throw new AcsError(org.springframework.http.HttpStatus.NOT_FOUND, "8522", "Participant not found.", "targetParticipants");
            }
            connection.call.muted.add(rawId);
        }
        schedule(1, () -> participantsUpdated(connection.call));
        String context = request.path("operationContext").asText(null);
        ObjectNode response = JSON.createObjectNode();
        return context == null ? response : response.put("operationContext", context);
    }

    /**
     * CallMedia_Hold (R11, R19): a ParticipantsUpdated shows the target on hold; with hold music,
     * HoldAudioStarted follows, or HoldFailed 400/8536 when the music cannot be fetched.
     */
    void hold(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String rawId = participantIn(connection, request.get("targetParticipant"), "targetParticipant");
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        JsonNode music = request.path("playSourceInfo");
        boolean musicFails = music.path("file").path("uri").asText("").contains("unreachable");
        if (music.isObject() && musicFails) {
            schedule(1, () -> send(connection, "HoldFailed",
                    operationData(connection, context, 400, 8536, "Action failed, file could not be downloaded."), callback));
            return;
        }
        connection.call.onHold.add(rawId);
        schedule(1, () -> participantsUpdated(connection.call));
        if (music.isObject()) {
            schedule(2, () -> send(connection, "HoldAudioStarted", operationData(connection, context, 200, 0, "Action completed successfully."), callback));
            connection.holdMusic = new MediaOperation(context, callback, null);
        }
    }

    /** CallMedia_Unhold (R11, R19): HoldAudioCompleted 400/8508 if hold music was playing, then a ParticipantsUpdated. */
    void unhold(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String rawId = participantIn(connection, request.get("targetParticipant"), "targetParticipant");
        MediaOperation music = connection.holdMusic;
        connection.holdMusic = null;
        connection.call.onHold.remove(rawId);
        schedule(1, () -> {
            if (music != null) {
                send(connection, "HoldAudioCompleted", operationData(connection, music.operationContext(), 400, 8508,
                        "Action failed, the operation was canceled."), music.callback());
            }
            participantsUpdated(connection.call);
        });
    }

    /** CallMedia_SendDtmfTones (R21): SendDtmfTonesCompleted 200/0 once the tones have been sent. */
    ObjectNode sendDtmfTones(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        participantIn(connection, request.get("targetParticipant"), "targetParticipant");
        JsonNode tones = request.path("tones");
        if (!tones.isArray() || tones.isEmpty() || tones.size() > 18) {
            throw AcsError.badRequest("Tones must hold 1 to 18 tones.", "tones");
        }
        for (JsonNode tone : tones) {
            if (!TONES.contains(tone.asText())) {
                throw AcsError.badRequest("Unknown tone " + tone.asText() + ".", "tones");
            }
        }
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        schedule(1 + tones.size(), () -> send(connection, "SendDtmfTonesCompleted", operationData(connection, context, 200, 0, ""), callback));
        ObjectNode response = JSON.createObjectNode();
        return context == null ? response : response.put("operationContext", context);
    }

    /** CallMedia_StartContinuousDtmfRecognition (R21): no event; tones pressed later arrive one by one. */
    void startContinuousDtmfRecognition(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String rawId = participantIn(connection, request.get("targetParticipant"), "targetParticipant");
        connection.dtmf = new DtmfRecognition(rawId, request.path("operationContext").asText(null),
                operationCallbackUri(request, connection), new AtomicInteger());
    }

    /** CallMedia_StopContinuousDtmfRecognition (R21): ContinuousDtmfRecognitionStopped. */
    void stopContinuousDtmfRecognition(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        participantIn(connection, request.get("targetParticipant"), "targetParticipant");
        connection.dtmf = null;
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        schedule(1, () -> send(connection, "ContinuousDtmfRecognitionStopped",
                operationData(connection, context, 200, 0, "Action completed successfully."), callback));
    }

    /**
     * Control API: a participant presses keys. A running recognize takes them; otherwise, with
     * continuous recognition running on the leg, each tone becomes a
     * ContinuousDtmfRecognitionToneReceived with the next sequenceId.
     *
     * @throws AcsError 409 when no recognition is running on the leg
     */
    void press(String callConnectionId, List<String> tones) {
        Connection connection = established(callConnectionId);
        for (String tone : tones) {
            if (!TONES.contains(tone)) {
                throw AcsError.badRequest("Unknown tone " + tone + ".", "tones");
            }
        }
        Recognition recognition = connection.recognize;
        if (recognition != null && !recognition.type.equals("speech")) {
            int step = 1;
            for (String tone : tones) {
                schedule(step++, () -> {
                    if (connection.recognize == recognition) {
                        recognizeTone(connection, recognition, tone);
                    }
                });
            }
            return;
        }
        DtmfRecognition dtmf = connection.dtmf;
        if (dtmf == null) {
            throw new AcsError(org.springframework.http.HttpStatus.CONFLICT, "Conflict", "No DTMF recognition is running on this call.", null);
        }
        for (String tone : tones) {
            if (!TONES.contains(tone)) {
                throw AcsError.badRequest("Unknown tone " + tone + ".", "tones");
            }
        }
        int step = 1;
        for (String tone : tones) {
            schedule(step++, () -> {
                ObjectNode data = JSON.createObjectNode().put("sequenceId", dtmf.sequenceId().incrementAndGet()).put("tone", tone);
                data.setAll(operationData(connection, dtmf.operationContext(), 200, 0, ""));
                send(connection, "ContinuousDtmfRecognitionToneReceived", data, dtmf.callback());
            });
        }
    }

    /**
     * CallMedia_Recognize (R18): prompts play without Play events; then the emulator waits for
     * input from the control API ({@link #press}, {@link #say}). No input within the prompts plus
     * initialSilenceTimeoutInSeconds gives RecognizeFailed 400/8510; a prompt that cannot be fetched
     * gives RecognizeFailed 500/8511 with failedPlaySourceIndex.
     */
    void recognize(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String type = request.path("recognizeInputType").asText("");
        if (!List.of("dtmf", "speech", "speechOrDtmf", "choices").contains(type)) {
            throw AcsError.badRequest("RecognizeInputType must be dtmf, speech, speechOrDtmf or choices.", "recognizeInputType");
        }
        JsonNode options = request.path("recognizeOptions");
        String rawId = participantIn(connection, options.get("targetParticipant"), "recognizeOptions.targetParticipant");
        if (type.equals("choices") && (!options.path("choices").isArray() || options.path("choices").isEmpty())) {
            throw AcsError.badRequest("Choices are required for recognizeInputType choices.", "recognizeOptions.choices");
        }
        int silence = options.path("initialSilenceTimeoutInSeconds").asInt(5);
        if (silence < 0 || silence > 300) {
            throw AcsError.badRequest("InitialSilenceTimeoutInSeconds must be between 0 and 300.", "recognizeOptions.initialSilenceTimeoutInSeconds");
        }
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        Recognition recognition = new Recognition(type, rawId, options, context, callback);
        connection.recognize = recognition;
        JsonNode prompts = request.path("playPrompts");
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).path("file").path("uri").asText("").contains("unreachable")) {
                int index = i;
                schedule(1, () -> finishRecognize(connection, recognition, "RecognizeFailed", 500, 8511,
                        "Action failed, encountered failure while trying to play the prompt.", data -> data.put("failedPlaySourceIndex", index)));
                return;
            }
        }
        recognition.timeout = events.schedule(guarded(() -> finishRecognize(connection, recognition, "RecognizeFailed", 400, 8510,
                "Action failed, initial silence timeout reached.", data -> { })),
                prompts.size() * 5L * delayMillis + silence * 1000L, TimeUnit.MILLISECONDS);
    }

    /** Control API: a participant says {@code phrase}, for speech, speechOrDtmf and choices recognition. */
    void say(String callConnectionId, String phrase) {
        Connection connection = established(callConnectionId);
        Recognition recognition = connection.recognize;
        if (recognition == null || recognition.type.equals("dtmf")) {
            throw new AcsError(org.springframework.http.HttpStatus.CONFLICT, "Conflict", "No speech recognition is running on this call.", null);
        }
        schedule(1, () -> {
            if (recognition.type.equals("choices")) {
                for (JsonNode choice : recognition.options.path("choices")) {
                    for (JsonNode said : choice.path("phrases")) {
                        if (said.asText().equalsIgnoreCase(phrase.trim())) {
                            completeChoice(connection, recognition, choice.path("label").asText(), phrase, 8545, "Action completed, speech option matched.");
                            return;
                        }
                    }
                }
                finishRecognize(connection, recognition, "RecognizeFailed", 400, 8547,
                        "Action failed, recognized phrase does not match a valid option.", data -> { });
                return;
            }
            finishRecognize(connection, recognition, "RecognizeCompleted", 200, 8569, "Action completed, speech was recognized.", data -> {
                data.put("recognitionType", "speech");
                data.putObject("speechResult").put("speech", phrase).put("confidence", 0.9);
            });
        });
    }

    /** Control API: a participant picks the choice named {@code label}, as if by speech (200/8545). */
    void choose(String callConnectionId, String label) {
        Connection connection = established(callConnectionId);
        Recognition recognition = connection.recognize;
        if (recognition == null || !recognition.type.equals("choices")) {
            throw new AcsError(org.springframework.http.HttpStatus.CONFLICT, "Conflict", "No choice recognition is running on this call.", null);
        }
        for (JsonNode choice : recognition.options.path("choices")) {
            if (choice.path("label").asText().equals(label)) {
                String phrase = choice.path("phrases").path(0).asText(label);
                schedule(1, () -> completeChoice(connection, recognition, label, phrase, 8545, "Action completed, speech option matched."));
                return;
            }
        }
        throw AcsError.badRequest("No choice is labelled " + label + ".", "label");
    }

    /** A tone for a running recognize: choices match by tone; dtmf collects until a stop tone, the maximum, or a pause. */
    private void recognizeTone(Connection connection, Recognition recognition, String tone) {
        if (recognition.type.equals("choices")) {
            for (JsonNode choice : recognition.options.path("choices")) {
                if (tone.equals(choice.path("tone").asText(null))) {
                    completeChoice(connection, recognition, choice.path("label").asText(), null, 8533, "Action completed, DTMF option matched.");
                    return;
                }
            }
            finishRecognize(connection, recognition, "RecognizeFailed", 500, 8534, "Action failed, incorrect tone entered.", data -> { });
            return;
        }
        JsonNode dtmf = recognition.options.path("dtmfOptions");
        List<String> stopTones = new ArrayList<>();
        dtmf.path("stopTones").forEach(t -> stopTones.add(t.asText()));
        if (stopTones.contains(tone)) {
            completeTones(connection, recognition, 8514, "Action completed as stop tone was detected.");
            return;
        }
        recognition.tones.add(tone);
        if (recognition.tones.size() >= dtmf.path("maxTonesToCollect").asInt(1)) {
            completeTones(connection, recognition, 8531, "Action completed, max digits received.");
            return;
        }
        cancelTimeout(recognition);
        recognition.timeout = events.schedule(guarded(() -> finishRecognize(connection, recognition, "RecognizeFailed", 400, 8532,
                "Action failed, inter-digit silence timeout reached.", data -> { })),
                dtmf.path("interToneTimeoutInSeconds").asInt(2) * 1000L, TimeUnit.MILLISECONDS);
    }

    private void completeTones(Connection connection, Recognition recognition, int subCode, String message) {
        finishRecognize(connection, recognition, "RecognizeCompleted", 200, subCode, message, data -> {
            data.put("recognitionType", "dtmf");
            ArrayNode tones = data.putObject("dtmfResult").putArray("tones");
            recognition.tones.forEach(tones::add);
        });
    }

    private void completeChoice(Connection connection, Recognition recognition, String label, String phrase, int subCode, String message) {
        finishRecognize(connection, recognition, "RecognizeCompleted", 200, subCode, message, data -> {
            data.put("recognitionType", "choices");
            ObjectNode choice = data.putObject("choiceResult").put("label", label);
            if (phrase != null) {
                choice.put("recognizedPhrase", phrase).put("confidence", 0.9);
            }
        });
    }

    /** Ends a recognize once, with its event; fields goes before the common ones. */
    private void finishRecognize(Connection connection, Recognition recognition, String event, int code, int subCode, String message,
                                 java.util.function.Consumer<ObjectNode> fields) {
        synchronized (recognition) {
            if (connection.recognize != recognition) {
                return;
            }
            connection.recognize = null;
        }
        cancelTimeout(recognition);
        ObjectNode data = JSON.createObjectNode();
        fields.accept(data);
        data.setAll(operationData(connection, recognition.operationContext, code, subCode, message));
        send(connection, event, data, recognition.callback);
    }

    private static void cancelTimeout(Recognition recognition) {
        var timeout = recognition.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    // ----------------------------------------------------------------------------- recording

    /**
     * CallRecording_StartRecording: a recording of the call named by a server call locator (room
     * locators are not supported), with the spec's content, channel and format combinations.
     * RecordingStateChanged goes to {@code recordingStateCallbackUri}, or the call's callback URI
     * (R22): {@code active}, or {@code inactive} with pauseOnStart.
     *
     * @return {@code RecordingStateResponse{recordingId, recordingState, recordingKind}}
     */
    ObjectNode startRecording(ObjectNode request) {
        JsonNode locator = request.path("callLocator");
        if (!"serverCallLocator".equals(locator.path("kind").asText()) && !"groupCallLocator".equals(locator.path("kind").asText())) {
            throw AcsError.badRequest("CallLocator must be a serverCallLocator or a groupCallLocator.", "callLocator.kind");
        }
        String serverCallId = locator.path("serverCallId").asText("");
        Connection connection = connections.values().stream()
                .filter(c -> c.call.serverCallId.equals(serverCallId) && "connected".equals(c.state)).findFirst()
                .orElseThrow(() -> new AcsError(org.springframework.http.HttpStatus.NOT_FOUND, "8522", "Call not found.", "callLocator"));
        String content = request.path("recordingContentType").asText("audio");
        String channel = request.path("recordingChannelType").asText("mixed");
        String format = request.path("recordingFormatType").asText(content.equals("audioVideo") ? "mp4" : "wav");
        if (content.equals("audioVideo") && (!format.equals("mp4") || !channel.equals("mixed"))) {
            throw AcsError.badRequest("audioVideo recordings are mixed mp4.", "recordingFormatType");
        }
        if (content.equals("audio") && format.equals("mp4")) {
            throw AcsError.badRequest("mp4 needs recordingContentType audioVideo.", "recordingFormatType");
        }
        if (channel.equals("unmixed") && !format.equals("wav")) {
            throw AcsError.badRequest("Unmixed recordings are wav.", "recordingFormatType");
        }
        String value = request.path("recordingStateCallbackUri").asText(null);
        URI stateCallback = value == null || value.isBlank() ? connection.callbackUri : URI.create(value);
        String recordingId = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"PlatformEndpointId\":\"" + connection.callConnectionId
                + "\",\"ResourceSpecificId\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8));
        boolean paused = request.path("pauseOnStart").asBoolean(false);
        Recording recording = new Recording(recordingId, connection, stateCallback, request, paused ? "inactive" : "active");
        recordings.put(recordingId, recording);
        schedule(1, () -> recordingStateChanged(recording));
        return recordingState(recording);
    }

    /** CallRecording_GetRecordingProperties. */
    ObjectNode getRecording(String recordingId) {
        return recordingState(recording(recordingId));
    }

    /** CallRecording_PauseRecording: RecordingStateChanged {@code inactive}. */
    void pauseRecording(String recordingId) {
        changeRecording(recording(recordingId), "inactive");
    }

    /** CallRecording_ResumeRecording: RecordingStateChanged {@code active}. */
    void resumeRecording(String recordingId) {
        changeRecording(recording(recordingId), "active");
    }

    /**
     * CallRecording_StopRecording: RecordingStateChanged {@code inactive}, then, as the files are
     * ready, RecordingFileStatusUpdated through Event Grid (subject {@code …/recordingId/{id}}).
     */
    void stopRecording(String recordingId) {
        Recording recording = recordings.remove(recordingId);
        if (recording == null) {
            throw new AcsError(org.springframework.http.HttpStatus.NOT_FOUND, "8522", "Recording not found.", null);
        }
        changeRecording(recording, "inactive");
        schedule(3, () -> {
            long durationMs = java.time.Duration.between(recording.startedAt, OffsetDateTime.now(ZoneOffset.UTC)).toMillis();
            String document = UUID.randomUUID().toString().replace("-", "");
            String storage = "https://storage.asm.skype.com/v1/objects/" + document;
            ObjectNode chunk = JSON.createObjectNode().put("documentId", document).put("index", 0).put("endReason", "SessionEnded")
                    .put("contentLocation", storage + "/content/audio").put("metadataLocation", storage + "/content/acsmetadata")
                    .put("deleteLocation", storage + "/content/deletedata");
            ObjectNode data = JSON.createObjectNode();
            data.putObject("recordingStorageInfo").putArray("recordingChunks").add(chunk);
            data.put("recordingStartTime", recording.startedAt.toString()).put("recordingDurationMs", durationMs)
                    .put("sessionEndReason", "CallEnded")
                    .put("recordingContentType", recording.request.path("recordingContentType").asText("audio"))
                    .put("recordingChannelType", recording.request.path("recordingChannelType").asText("mixed"))
                    .put("recordingFormatType", recording.request.path("recordingFormatType").asText("wav"));
            ObjectNode event = JSON.createObjectNode().put("id", UUID.randomUUID().toString())
                    .put("topic", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/callstream/providers/Microsoft.Communication/communicationServices/emulator")
                    .put("subject", "/recording/call/" + recording.connection.call.correlationId + "/serverCallId/"
                            + recording.connection.call.serverCallId + "/recordingId/" + recordingId);
            event.set("data", data);
            event.put("eventType", "Microsoft.Communication.RecordingFileStatusUpdated").put("dataVersion", "1.0")
                    .put("metadataVersion", "1").put("eventTime", OffsetDateTime.now(ZoneOffset.UTC).toString());
            Deliveries.Response response = deliveries.eventGrid(JSON.createArrayNode().add(event).toString().getBytes(StandardCharsets.UTF_8)).block();
            log.info("RecordingFileStatusUpdated for {} -> Event Grid {}", recordingId, response == null ? "no answer" : response.status());
        });
    }

    private void changeRecording(Recording recording, String state) {
        recording.state = state;
        schedule(1, () -> recordingStateChanged(recording));
    }

    private Recording recording(String recordingId) {
        Recording recording = recordings.get(recordingId);
        if (recording == null) {
            throw new AcsError(org.springframework.http.HttpStatus.NOT_FOUND, "8522", "Recording not found.", null);
        }
        return recording;
    }

    private static ObjectNode recordingState(Recording recording) {
        return JSON.createObjectNode().put("recordingId", recording.recordingId).put("recordingState", recording.state)
                .put("recordingKind", "azureCommunicationServices");
    }

    /** R22: source and subject {@code calling/recordings/{serverCallId}/{recordingId}/RecordingStateChanged}. */
    private void recordingStateChanged(Recording recording) {
        Connection connection = recording.connection;
        String source = "calling/recordings/" + connection.call.serverCallId + "/" + recording.recordingId + "/RecordingStateChanged";
        ObjectNode data = JSON.createObjectNode().put("eventSource", source).put("recordingId", recording.recordingId)
                .put("state", recording.state).put("startDateTime", recording.startedAt.toString())
                .put("recordingKind", "azureCommunicationServices");
        data.setAll(resultAndCommon(connection, 200, 0, "", true));
        data.put("publicEventType", "Microsoft.Communication.RecordingStateChanged");
        ObjectNode event = JSON.createObjectNode().put("id", UUID.randomUUID().toString()).put("source", source)
                .put("type", "Microsoft.Communication.RecordingStateChanged");
        event.set("data", data);
        event.put("time", time()).put("specversion", "1.0").put("datacontenttype", "application/json").put("subject", source);
        Deliveries.Response response = deliveries.callback(recording.stateCallback,
                JSON.createArrayNode().add(event).toString().getBytes(StandardCharsets.UTF_8)).block();
        log.info("RecordingStateChanged {} for {} -> {} {}", recording.state, recording.recordingId, recording.stateCallback,
                response == null ? "no answer" : response.status());
    }

    // ------------------------------------------------------------- media streaming, transcription

    /**
     * CallMedia_StartMediaStreaming (R20): MediaStreamingStarted (mediaStreamingStarted /
     * subscriptionStarted); MediaStreamingFailed 400/8500 when streaming already runs (EMU).
     */
    void startMediaStreaming(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        if (connection.streaming != null) {
            schedule(1, () -> send(connection, "MediaStreamingFailed", streamingData(connection, context, "mediaStreamingFailed",
                    "streamConnectionUnsuccessful", 400, 8500, "Action failed, media streaming is already running."), callback));
            return;
        }
        connection.streaming = context == null ? "" : context;
        schedule(1, () -> send(connection, "MediaStreamingStarted", streamingData(connection, context, "mediaStreamingStarted",
                "subscriptionStarted", 200, 0, "Action completed successfully."), callback));
    }

    /** CallMedia_StopMediaStreaming (R20): MediaStreamingStopped; MediaStreamingFailed 400/8500 when none runs (EMU). */
    void stopMediaStreaming(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String started = connection.streaming;
        String context = request.path("operationContext").asText(started == null || started.isEmpty() ? null : started);
        URI callback = operationCallbackUri(request, connection);
        connection.streaming = null;
        if (started == null) {
            schedule(1, () -> send(connection, "MediaStreamingFailed", streamingData(connection, context, "mediaStreamingFailed",
                    "subscriptionStopped", 400, 8500, "Action failed, media streaming is not running."), callback));
            return;
        }
        schedule(1, () -> send(connection, "MediaStreamingStopped", streamingData(connection, context, "mediaStreamingStopped",
                "subscriptionStopped", 200, 0, "Action completed successfully."), callback));
    }

    /**
     * CallMedia_StartTranscription (R20): TranscriptionStarted. A locale without a region gives
     * TranscriptionFailed 400/8523 (RESULT-CODES §2a).
     */
    void startTranscription(String callConnectionId, ObjectNode request) {
        transcription(established(callConnectionId), request, true);
    }

    /** CallMedia_UpdateTranscription (R20): TranscriptionUpdated (transcriptionLocaleUpdated); TranscriptionFailed 400/8501 when none runs. */
    void updateTranscription(String callConnectionId, ObjectNode request) {
        transcription(established(callConnectionId), request, false);
    }

    /** CallMedia_StopTranscription (R20): TranscriptionStopped. */
    void stopTranscription(String callConnectionId, ObjectNode request) {
        Connection connection = established(callConnectionId);
        String context = request.path("operationContext").asText(null);
        URI callback = operationCallbackUri(request, connection);
        boolean running = connection.transcribing != null;
        connection.transcribing = null;
        schedule(1, () -> send(connection, running ? "TranscriptionStopped" : "TranscriptionFailed", running
                ? transcriptionData(connection, context, "transcriptionStopped", "subscriptionStopped", 200, 0, "Action completed successfully.")
                : transcriptionData(connection, context, "transcriptionFailed", "subscriptionStopped", 400, 8501,
                "Action is invalid when call is not in Established state."), callback));
    }

    private void transcription(Connection connection, ObjectNode request, boolean start) {
        String locale = request.path("locale").asText("en-US");
        String context = request.path("operationContext").asText(start || connection.transcribing == null || connection.transcribing.isEmpty()
                ? null : connection.transcribing);
        URI callback = operationCallbackUri(request, connection);
        if (!locale.matches("[a-zA-Z]{2,3}-[a-zA-Z]{2,4}")) {
            schedule(1, () -> send(connection, "TranscriptionFailed", transcriptionData(connection, context, "transcriptionFailed",
                    "unspecifiedError", 400, 8523, "Invalid Request, only locale that contain region information are supported."), callback));
            return;
        }
        if (!start && connection.transcribing == null) {
            schedule(1, () -> send(connection, "TranscriptionFailed", transcriptionData(connection, context, "transcriptionFailed",
                    "unspecifiedError", 400, 8501, "Action is invalid when call is not in Established state."), callback));
            return;
        }
        if (start) {
            connection.transcribing = context == null ? "" : context;
        }
        schedule(1, () -> send(connection, start ? "TranscriptionStarted" : "TranscriptionUpdated", start
                ? transcriptionData(connection, context, "transcriptionStarted", "subscriptionStarted", 200, 0, "Action completed successfully.")
                : transcriptionData(connection, context, "transcriptionUpdated", "transcriptionLocaleUpdated", 200, 0,
                "Action completed successfully."), callback));
    }

    /** mediaStreamingUpdate{contentType, mediaStreamingStatus, mediaStreamingStatusDetails}, version, [operationContext], resultInformation, + common (§2.3). */
    private ObjectNode streamingData(Connection connection, String context, String status, String details, int code, int subCode, String message) {
        ObjectNode data = JSON.createObjectNode();
        data.putObject("mediaStreamingUpdate").put("contentType", "Audio").put("mediaStreamingStatus", status)
                .put("mediaStreamingStatusDetails", details);
        data.setAll(operationData(connection, context, code, subCode, message));
        return data;
    }

    /** transcriptionUpdate{transcriptionStatus, transcriptionStatusDetails}, version, [operationContext], resultInformation, + common (§2.3). */
    private ObjectNode transcriptionData(Connection connection, String context, String status, String details, int code, int subCode, String message) {
        ObjectNode data = JSON.createObjectNode();
        data.putObject("transcriptionUpdate").put("transcriptionStatus", status).put("transcriptionStatusDetails", details);
        data.setAll(operationData(connection, context, code, subCode, message));
        return data;
    }

    /** The DTMF tone names of the spec. */
    static final java.util.Set<String> TONES = java.util.Set.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "a", "b", "c", "d", "pound", "asterisk");

    private static String participantIn(Connection connection, JsonNode identifier, String field) {
        String rawId = Identifiers.rawIdOf(identifier);
        if (rawId == null) {
            throw AcsError.badRequest("The " + field + " field is required.", field);
        }
        if (!connection.call.participants.contains(rawId)) {
            throw new AcsError(org.springframework.http.HttpStatus.NOT_FOUND, "8522", "Participant not found.", field);
        }
        return rawId;
    }

    /**
     * Rings the application: a new call from {@code from} to {@code to}, and the IncomingCall
     * event that Event Grid delivers (Event Grid schema), not yet sent.
     *
     * @param from caller raw id or E.164 number
     * @param to callee raw id or E.164 number (the application's number)
     */
    IncomingCallEvent ring(String from, String to, String callerDisplayName, boolean abandonsOnAnswer) {
        Call call = newCall();
        String fromRaw = toRawId(from);
        String toRaw = toRawId(to);
        String context = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"cc\":\"" + UUID.randomUUID() + "\",\"scid\":\"" + call.serverCallId + "\"}").getBytes(StandardCharsets.UTF_8));
        incoming.put(context, new Incoming(call, fromRaw, toRaw, abandonsOnAnswer, System.nanoTime()));
        ObjectNode data = JSON.createObjectNode();
        data.set("to", Identifiers.fromRawId(toRaw));
        data.set("from", Identifiers.fromRawId(fromRaw));
        data.put("serverCallId", call.serverCallId);
        data.put("callerDisplayName", callerDisplayName == null ? "" : callerDisplayName);
        data.put("incomingCallContext", context);
        data.put("correlationId", call.correlationId);
        ObjectNode event = JSON.createObjectNode()
                .put("id", UUID.randomUUID().toString())
                .put("topic", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/callstream/providers/Microsoft.Communication/communicationServices/emulator")
                .put("subject", "/caller/" + fromRaw + "/recipient/" + toRaw);
        event.set("data", data);
        event.put("eventType", "Microsoft.Communication.IncomingCall")
                .put("dataVersion", "1.0")
                .put("metadataVersion", "1")
                .put("eventTime", OffsetDateTime.now(ZoneOffset.UTC).toString());
        ArrayNode delivery = JSON.createArrayNode().add(event);
        return new IncomingCallEvent(call.serverCallId, call.correlationId, context, delivery.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The result of {@link #ring}: the call's ids and the Event Grid delivery body. */
    record IncomingCallEvent(String serverCallId, String correlationId, String incomingCallContext, byte[] delivery) {
    }

    /** A snapshot of every connection, for the control API. */
    List<ObjectNode> snapshot() {
        return connections.values().stream().map(this::properties).toList();
    }

    // ------------------------------------------------------------------------------- events

    private void connected(Connection connection) {
        if (!"connecting".equals(connection.state)) {
            return;
        }
        connection.state = "connected";
        send(connection, "CallConnected", callbackData(connection, 200, 0, "", true));
        schedule(1, () -> {
            if ("connected".equals(connection.state)) {
                ObjectNode data = JSON.createObjectNode();
                data.set("participants", participantList(connection.call));
                data.put("sequenceNumber", connection.call.sequenceNumber.incrementAndGet());
                data.setAll(resultAndCommon(connection, 200, 0, "", true));
                send(connection, "ParticipantsUpdated", data);
            }
        });
    }

    private void disconnected(Connection connection, int subCode, String message) {
        disconnected(connection, 200, subCode, message);
    }

    private void disconnected(Connection connection, int code, int subCode, String message) {
        if ("disconnected".equals(connection.state)) {
            return;
        }
        connection.state = "disconnected";
        send(connection, "CallDisconnected", callbackData(connection, code, subCode, message, false));
    }

    /**
     * data for CallConnected, CallDisconnected, CreateCallFailed: version, [operationContext],
     * resultInformation, ids, publicEventType (§2.3). The create or answer request's
     * operationContext goes on the events that request caused, not on a later hang-up's.
     */
    private ObjectNode callbackData(Connection connection, int code, int subCode, String message, boolean fromSetup) {
        ObjectNode data = JSON.createObjectNode().put("version", connection.apiVersion);
        String context = connection.request.path("operationContext").asText(null);
        if (context != null && fromSetup) {
            data.put("operationContext", context);
        }
        data.setAll(resultAndCommon(connection, code, subCode, message, false));
        return data;
    }

    /** resultInformation, [version], callConnectionId, serverCallId, correlationId. */
    private ObjectNode resultAndCommon(Connection connection, int code, int subCode, String message, boolean withVersion) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode result = node.putObject("resultInformation");
        result.put("code", code).put("subCode", subCode).put("message", message);
        if (withVersion) {
            node.put("version", connection.apiVersion);
        }
        node.put("callConnectionId", connection.callConnectionId)
                .put("serverCallId", connection.call.serverCallId)
                .put("correlationId", connection.call.correlationId);
        return node;
    }

    /** Wraps data in the callback envelope (R1) and POSTs it. Runs on the callback thread. */
    private void send(Connection connection, String name, ObjectNode data) {
        send(connection, name, data, connection.callbackUri);
    }

    /** Sends to {@code target}: the connection's callback URI, or an operation's operationCallbackUri. */
    private void send(Connection connection, String name, ObjectNode data, URI target) {
        String type = "Microsoft.Communication." + name;
        data.put("publicEventType", type);
        String source = "calling/callConnections/" + connection.callConnectionId;
        ObjectNode event = JSON.createObjectNode()
                .put("id", UUID.randomUUID().toString())
                .put("source", source)
                .put("type", type);
        event.set("data", data);
        event.put("time", time())
                .put("specversion", "1.0")
                .put("datacontenttype", "application/json")
                .put("subject", source);
        byte[] body = JSON.createArrayNode().add(event).toString().getBytes(StandardCharsets.UTF_8);
        if (duplicateAndReorder) {
            for (int copy = 0; copy < 2; copy++) {
                scrambled.schedule(guarded(() -> deliveries.callback(target, body).block()),
                        java.util.concurrent.ThreadLocalRandom.current().nextLong(4 * delayMillis + 1), TimeUnit.MILLISECONDS);
            }
            return;
        }
        Deliveries.Response response = deliveries.callback(target, body).block();
        log.info("{} for {} -> {} {}", name, connection.callConnectionId, target,
                response == null ? "no answer" : response.status());
    }

    private void schedule(int steps, Runnable action) {
        events.schedule(guarded(action), steps * delayMillis, TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------------------ helpers

    /** The raw id of the identifier in {@code field}: 400 naming the field when it names nobody. */
    private static String requiredIdentifier(ObjectNode request, String field) {
        String rawId = Identifiers.rawIdOf(request.get(field));
        if (rawId == null) {
            throw AcsError.badRequest("The " + field + " field is required.", field);
        }
        return rawId;
    }

    /** A phone-number target needs sourceCallerIdNumber: 400/8523 (RESULT-CODES §3c). */
    private static void requireCallerIdFor(String rawId, ObjectNode request) {
        if (rawId.startsWith("4:") && !request.path("sourceCallerIdNumber").has("value")) {
            throw new AcsError(org.springframework.http.HttpStatus.BAD_REQUEST, "8523",
                    "Invalid request, SourceCallerIdNumber is required for PSTN targets.", "sourceCallerIdNumber");
        }
    }

    /** SIP headers of a custom calling context must be User-To-User or X-MS-Custom- headers. */
    private static void validateCustomCallingContext(ObjectNode request) {
        request.path("customCallingContext").path("sipHeaders").fieldNames().forEachRemaining(name -> {
            if (!name.equals("User-To-User") && !name.startsWith("X-MS-Custom-")) {
                throw AcsError.badRequest("SIP header " + name + " is not allowed: use User-To-User or X-MS-Custom- headers.",
                        "customCallingContext.sipHeaders");
            }
        });
    }

    private static String required(JsonNode node, String field) {
        String value = node.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw AcsError.badRequest("The " + field + " field is required.", field);
        }
        return value;
    }

    /** The ringing call named by the request's incomingCallContext, removed when {@code take}. */
    private Incoming ringing(ObjectNode request, boolean take) {
        String context = request.path("incomingCallContext").asText(null);
        if (context == null || context.isBlank()) {
            throw AcsError.badRequest("The IncomingCallContext field is required.", "incomingCallContext");
        }
        Incoming call = take ? incoming.remove(context) : incoming.get(context);
        if (call == null) {
            throw AcsError.badRequest("IncomingCallContext is invalid, or the call was already answered, rejected or redirected.", "incomingCallContext");
        }
        return call;
    }

    /** A leg that mid-call actions may act on: 404/8522 when unknown or ended, 400/8501 while still connecting. */
    private Connection established(String callConnectionId) {
        Connection connection = connections.get(callConnectionId);
        if (connection == null || "disconnected".equals(connection.state) || "disconnecting".equals(connection.state)) {
            throw new AcsError(org.springframework.http.HttpStatus.NOT_FOUND, "8522", "Call not found.", null);
        }
        if (!"connected".equals(connection.state)) {
            throw new AcsError(org.springframework.http.HttpStatus.BAD_REQUEST, "8501",
                    "Action is invalid when call is not in Established state.", null);
        }
        return connection;
    }

    private static URI operationCallbackUri(ObjectNode request, Connection connection) {
        String value = request.path("operationCallbackUri").asText(null);
        if (value == null || value.isBlank()) {
            return connection.callbackUri;
        }
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            throw AcsError.badRequest("The field OperationCallbackUri is invalid.", "operationCallbackUri");
        }
    }

    /** version, [operationContext], resultInformation, ids: the tail of an operation event's data (§2.3). */
    private ObjectNode operationData(Connection connection, String context, int code, int subCode, String message) {
        ObjectNode data = JSON.createObjectNode().put("version", connection.apiVersion);
        if (context != null) {
            data.put("operationContext", context);
        }
        data.setAll(resultAndCommon(connection, code, subCode, message, false));
        return data;
    }

    /** A ParticipantsUpdated with the call's next sequenceNumber, the same on every live leg (R9). */
    private void participantsUpdated(Call call) {
        int sequenceNumber = call.sequenceNumber.incrementAndGet();
        for (Connection leg : call.connections) {
            if ("connected".equals(leg.state)) {
                ObjectNode data = JSON.createObjectNode();
                data.set("participants", participantList(call));
                data.put("sequenceNumber", sequenceNumber);
                data.setAll(resultAndCommon(leg, 200, 0, "", true));
                send(leg, "ParticipantsUpdated", data);
            }
        }
    }

    private static Runnable guarded(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                log.warn("emitting callbacks failed", e);
            }
        };
    }

    private Call newCall() {
        String conversation = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        String url = "https://api.flightproxy.skype.com/api/v2/cp/conv-emulator.conv.skype.com/conv/" + conversation
                + "?i=10-128-0-1&e=" + System.nanoTime();
        return new Call(Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.UTF_8)), UUID.randomUUID().toString());
    }

    private Connection connect(Call call, URI callbackUri, String apiVersion, ObjectNode request) {
        String id = callConnectionPrefix + UUID.randomUUID().toString().substring(8);
        Connection connection = new Connection(id, call, callbackUri, apiVersion, request);
        call.connections.add(connection);
        connections.put(id, connection);
        return connection;
    }

    private Connection connection(String callConnectionId) {
        Connection connection = connections.get(callConnectionId);
        if (connection == null) {
            throw AcsError.notFound("Call connection " + callConnectionId + " not found.");
        }
        return connection;
    }

    private Connection liveConnection(String callConnectionId) {
        Connection connection = connection(callConnectionId);
        if ("disconnected".equals(connection.state) || "disconnecting".equals(connection.state)) {
            throw new AcsError(org.springframework.http.HttpStatus.BAD_REQUEST, "8528",
                    "Action is invalid, call already terminated.", null);
        }
        return connection;
    }

    private static URI callbackUri(ObjectNode request) {
        String value = request.path("callbackUri").asText(null);
        if (value == null || value.isBlank()) {
            throw AcsError.badRequest("The CallbackUri field is required.", "callbackUri");
        }
        try {
            URI uri = URI.create(value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw AcsError.badRequest("The field CallbackUri is invalid.", "callbackUri");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw AcsError.badRequest("The field CallbackUri is invalid.", "callbackUri");
        }
    }

    private ObjectNode properties(Connection connection) {
        ObjectNode node = JSON.createObjectNode()
                .put("callConnectionId", connection.callConnectionId)
                .put("serverCallId", connection.call.serverCallId);
        ArrayNode targets = node.putArray("targets");
        connection.request.path("targets").forEach(t -> targets.add(Identifiers.fromRawId(Identifiers.rawIdOf(t))));
        node.put("callConnectionState", connection.state)
                .put("callbackUri", connection.callbackUri.toString());
        if (connection.request.has("sourceCallerIdNumber")) {
            node.set("sourceCallerIdNumber", connection.request.get("sourceCallerIdNumber"));
        }
        if (connection.request.has("sourceDisplayName")) {
            node.set("sourceDisplayName", connection.request.get("sourceDisplayName"));
        }
        node.put("correlationId", connection.call.correlationId);
        return node;
    }

    private ArrayNode participantList(Call call) {
        ArrayNode list = JSON.createArrayNode();
        call.participants.forEach(rawId -> list.add(participant(call, rawId)));
        return list;
    }

    private static ObjectNode participant(Call call, String rawId) {
        ObjectNode node = participant(rawId);
        node.put("isMuted", call.muted.contains(rawId)).put("isOnHold", call.onHold.contains(rawId));
        return node;
    }

    private static ObjectNode participant(String rawId) {
        ObjectNode node = JSON.createObjectNode();
        node.set("identifier", Identifiers.fromRawId(rawId));
        node.put("isMuted", false).put("isOnHold", false);
        return node;
    }

    private static String toRawId(String party) {
        return party.startsWith("+") ? "4:" + party : party;
    }

    /** {@code YYYY-MM-DDThh:mm:ss.fffffff+00:00}, trailing zeros of the fraction dropped (R1). */
    static String time() {
        String t = OffsetDateTime.now(ZoneOffset.UTC).format(TIME).replaceAll("0+$", "");
        return (t.endsWith(".") ? t.substring(0, t.length() - 1) : t) + "+00:00";
    }
}
