package io.callstream.events.acs;

import com.fasterxml.jackson.databind.JsonNode;
import io.callstream.events.acs.AcsEvent.*;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Maps an ACS event's wire type and {@code data} object to its {@link AcsEvent} record.
 *
 * <p>The mapping is the ACS {@code type} string (e.g. {@code Microsoft.Communication.CallConnected})
 * to a record, written out in {@link #fromData}; {@link #TYPES} lists the same names. A type not
 * listed becomes an {@link UnknownEvent} carrying whatever call ids its data has. Parsing is
 * lenient: a missing or mistyped field becomes {@code null}, never an exception, because the data
 * object is kept verbatim beside the record and an older or newer payload shape must still flow.
 *
 * <p>Sources: the Call Automation overview's event tables (Event Grid and webhook events), the
 * 2025-05-15 and 2025-08-15-preview REST specs' event models, EVENT-SEQUENCES.md §2.3.
 */
public final class AcsEvents {

    /** Prefix of every ACS event type. */
    public static final String ACS_PREFIX = "Microsoft.Communication.";

    /** Event Grid's handshake event type. */
    public static final String SUBSCRIPTION_VALIDATION = "Microsoft.EventGrid.SubscriptionValidationEvent";

    /** Every ACS type string mapped to a record other than {@link UnknownEvent}. */
    public static final Set<String> TYPES = Set.of(
            ACS_PREFIX + "IncomingCall", ACS_PREFIX + "CallStarted", ACS_PREFIX + "CallEnded",
            ACS_PREFIX + "CallParticipantAdded", ACS_PREFIX + "CallParticipantRemoved",
            ACS_PREFIX + "RecordingFileStatusUpdated", SUBSCRIPTION_VALIDATION,
            ACS_PREFIX + "CallConnected", ACS_PREFIX + "CallDisconnected", ACS_PREFIX + "CreateCallFailed",
            ACS_PREFIX + "AnswerFailed", ACS_PREFIX + "ConnectFailed", ACS_PREFIX + "CallTransferAccepted",
            ACS_PREFIX + "CallTransferFailed", ACS_PREFIX + "ParticipantsUpdated",
            ACS_PREFIX + "AddParticipantSucceeded", ACS_PREFIX + "AddParticipantFailed",
            ACS_PREFIX + "CancelAddParticipantSucceeded", ACS_PREFIX + "CancelAddParticipantFailed",
            ACS_PREFIX + "RemoveParticipantSucceeded", ACS_PREFIX + "RemoveParticipantFailed",
            ACS_PREFIX + "MoveParticipantSucceeded", ACS_PREFIX + "MoveParticipantFailed",
            ACS_PREFIX + "PlayStarted", ACS_PREFIX + "PlayCompleted", ACS_PREFIX + "PlayFailed",
            ACS_PREFIX + "PlayCanceled", ACS_PREFIX + "RecognizeCompleted", ACS_PREFIX + "RecognizeFailed",
            ACS_PREFIX + "RecognizeCanceled", ACS_PREFIX + "ContinuousDtmfRecognitionToneReceived",
            ACS_PREFIX + "ContinuousDtmfRecognitionToneFailed", ACS_PREFIX + "ContinuousDtmfRecognitionStopped",
            ACS_PREFIX + "SendDtmfTonesCompleted", ACS_PREFIX + "SendDtmfTonesFailed",
            ACS_PREFIX + "SendDtmfCompleted", ACS_PREFIX + "SendDtmfFailed",
            ACS_PREFIX + "HoldFailed", ACS_PREFIX + "HoldAudioStarted", ACS_PREFIX + "HoldAudioPaused",
            ACS_PREFIX + "HoldAudioResumed", ACS_PREFIX + "HoldAudioCompleted",
            ACS_PREFIX + "MediaStreamingStarted", ACS_PREFIX + "MediaStreamingStopped",
            ACS_PREFIX + "MediaStreamingFailed", ACS_PREFIX + "TranscriptionStarted",
            ACS_PREFIX + "TranscriptionStopped", ACS_PREFIX + "TranscriptionUpdated",
            ACS_PREFIX + "TranscriptionFailed", ACS_PREFIX + "TranscriptionCallSummaryUpdated",
            ACS_PREFIX + "RecordingStateChanged", ACS_PREFIX + "StartRecordingFailed");

    private AcsEvents() {
    }

    /**
     * The record for one event.
     *
     * @param type the ACS type string, e.g. {@code Microsoft.Communication.CallConnected}
     * @param data the event's {@code data} object; {@code null} or a non-object is read as empty
     * @return the typed record, or an {@link UnknownEvent} for a type not in {@link #TYPES}
     */
    public static AcsEvent fromData(String type, JsonNode data) {
        JsonNode d = data == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : data;
        CallIds ids = idsOf(d);
        String ctx = text(d, "operationContext");
        ResultInformation r = resultOf(d);
        if (SUBSCRIPTION_VALIDATION.equals(type)) {
            return new SubscriptionValidation(text(d, "validationCode"), text(d, "validationUrl"));
        }
        if (type == null || !type.startsWith(ACS_PREFIX)) {
            return new UnknownEvent(ids);
        }
        return switch (type.substring(ACS_PREFIX.length())) {
            case "IncomingCall" -> new IncomingCall(ids, identifier(d.get("to")), identifier(d.get("from")),
                    text(d, "callerDisplayName"), text(d, "incomingCallContext"));
            case "CallStarted" -> new CallStarted(ids, identifier(d.get("startedBy")));
            case "CallEnded" -> new CallEnded(ids, decimal(d, "durationOfCall") != null
                    ? decimal(d, "durationOfCall") : decimal(d, "callDurationInSeconds"));
            case "CallParticipantAdded" -> new CallParticipantAdded(ids, identifier(d.get("user")), text(d, "displayName"));
            case "CallParticipantRemoved" -> new CallParticipantRemoved(ids, identifier(d.get("user")), text(d, "displayName"));
            case "RecordingFileStatusUpdated" -> new RecordingFileStatusUpdated(ids, longValue(d, "recordingDurationMs"),
                    text(d, "sessionEndReason"), contentLocations(d));
            case "CallConnected" -> new CallConnected(ids, ctx, r);
            case "CallDisconnected" -> new CallDisconnected(ids, ctx, r);
            case "CreateCallFailed" -> new CreateCallFailed(ids, ctx, r);
            case "AnswerFailed" -> new AnswerFailed(ids, ctx, r);
            case "ConnectFailed" -> new ConnectFailed(ids, ctx, r);
            case "CallTransferAccepted" -> new CallTransferAccepted(ids, ctx, r,
                    identifier(d.get("transferTarget")), identifier(d.get("transferee")));
            case "CallTransferFailed" -> new CallTransferFailed(ids, ctx, r);
            case "ParticipantsUpdated" -> new ParticipantsUpdated(ids, ctx, r, integer(d, "sequenceNumber"), participants(d));
            case "AddParticipantSucceeded" -> new AddParticipantSucceeded(ids, ctx, r, identifier(d.get("participant")));
            case "AddParticipantFailed" -> new AddParticipantFailed(ids, ctx, r, identifier(d.get("participant")));
            case "CancelAddParticipantSucceeded" -> new CancelAddParticipantSucceeded(ids, ctx, r, text(d, "invitationId"));
            case "CancelAddParticipantFailed" -> new CancelAddParticipantFailed(ids, ctx, r, text(d, "invitationId"));
            case "RemoveParticipantSucceeded" -> new RemoveParticipantSucceeded(ids, ctx, r, identifier(d.get("participant")));
            case "RemoveParticipantFailed" -> new RemoveParticipantFailed(ids, ctx, r, identifier(d.get("participant")));
            case "MoveParticipantSucceeded" -> new MoveParticipantSucceeded(ids, ctx, r,
                    identifier(d.get("participant")), text(d, "fromCall"));
            case "MoveParticipantFailed" -> new MoveParticipantFailed(ids, ctx, r,
                    identifier(d.get("participant")), text(d, "fromCall"));
            case "PlayStarted" -> new PlayStarted(ids, ctx, r);
            case "PlayCompleted" -> new PlayCompleted(ids, ctx, r);
            case "PlayFailed" -> new PlayFailed(ids, ctx, r, integer(d, "failedPlaySourceIndex"));
            case "PlayCanceled" -> new PlayCanceled(ids, ctx, r);
            case "RecognizeCompleted" -> recognizeCompleted(ids, ctx, r, d);
            case "RecognizeFailed" -> new RecognizeFailed(ids, ctx, r, integer(d, "failedPlaySourceIndex"));
            case "RecognizeCanceled" -> new RecognizeCanceled(ids, ctx, r);
            case "ContinuousDtmfRecognitionToneReceived" -> new ContinuousDtmfRecognitionToneReceived(ids, ctx, r,
                    d.has("toneInfo") ? integer(d.get("toneInfo"), "sequenceId") : integer(d, "sequenceId"),
                    d.has("toneInfo") ? text(d.get("toneInfo"), "tone") : text(d, "tone"));
            case "ContinuousDtmfRecognitionToneFailed" -> new ContinuousDtmfRecognitionToneFailed(ids, ctx, r);
            case "ContinuousDtmfRecognitionStopped" -> new ContinuousDtmfRecognitionStopped(ids, ctx, r);
            case "SendDtmfTonesCompleted", "SendDtmfCompleted" -> new SendDtmfTonesCompleted(ids, ctx, r);
            case "SendDtmfTonesFailed", "SendDtmfFailed" -> new SendDtmfTonesFailed(ids, ctx, r);
            case "HoldFailed" -> new HoldFailed(ids, ctx, r);
            case "HoldAudioStarted" -> new HoldAudioStarted(ids, ctx, r);
            case "HoldAudioPaused" -> new HoldAudioPaused(ids, ctx, r);
            case "HoldAudioResumed" -> new HoldAudioResumed(ids, ctx, r);
            case "HoldAudioCompleted" -> new HoldAudioCompleted(ids, ctx, r);
            case "MediaStreamingStarted" -> new MediaStreamingStarted(ids, ctx, r,
                    text(d.path("mediaStreamingUpdate"), "mediaStreamingStatus"),
                    text(d.path("mediaStreamingUpdate"), "mediaStreamingStatusDetails"));
            case "MediaStreamingStopped" -> new MediaStreamingStopped(ids, ctx, r,
                    text(d.path("mediaStreamingUpdate"), "mediaStreamingStatus"),
                    text(d.path("mediaStreamingUpdate"), "mediaStreamingStatusDetails"));
            case "MediaStreamingFailed" -> new MediaStreamingFailed(ids, ctx, r,
                    text(d.path("mediaStreamingUpdate"), "mediaStreamingStatus"),
                    text(d.path("mediaStreamingUpdate"), "mediaStreamingStatusDetails"));
            case "TranscriptionStarted" -> new TranscriptionStarted(ids, ctx, r,
                    transcriptionStatus(d), transcriptionDetails(d));
            case "TranscriptionStopped" -> new TranscriptionStopped(ids, ctx, r,
                    transcriptionStatus(d), transcriptionDetails(d));
            case "TranscriptionUpdated" -> new TranscriptionUpdated(ids, ctx, r,
                    transcriptionStatus(d), transcriptionDetails(d));
            case "TranscriptionFailed" -> new TranscriptionFailed(ids, ctx, r,
                    transcriptionStatus(d), transcriptionDetails(d));
            case "TranscriptionCallSummaryUpdated" -> new TranscriptionCallSummaryUpdated(ids, ctx, r,
                    transcriptionStatus(d), transcriptionDetails(d));
            case "RecordingStateChanged" -> new RecordingStateChanged(ids, ctx, r, text(d, "recordingId"), text(d, "state"));
            case "StartRecordingFailed" -> new StartRecordingFailed(ids, ctx, r, text(d, "recordingId"));
            default -> new UnknownEvent(ids);
        };
    }

    /** The call ids found at the top level of a {@code data} object (any may be {@code null}). */
    public static CallIds idsOf(JsonNode data) {
        if (data == null || !data.isObject()) {
            return CallIds.NONE;
        }
        return new CallIds(text(data, "callConnectionId"), text(data, "serverCallId"), text(data, "correlationId"));
    }

    /**
     * Reads an identifier in any of the shapes ACS uses: a {@code CommunicationIdentifierModel}
     * ({@code {rawId, kind, communicationUser{id}}}), or Event Grid's wrapper
     * ({@code {communicationIdentifier: {...}, role}}, also spelled {@code communicationidentifier}).
     *
     * @return the identifier, or {@code null} when the node holds no raw id
     */
    public static Identifier identifier(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (String wrapper : List.of("communicationIdentifier", "communicationidentifier")) {
            if (node.has(wrapper)) {
                return identifier(node.get(wrapper));
            }
        }
        String kind = text(node, "kind");
        String rawId = text(node, "rawId");
        for (String nested : List.of("phoneNumber", "communicationUser", "microsoftTeamsUser", "microsoftTeamsApp")) {
            if (node.has(nested)) {
                kind = kind == null ? nested : kind;
                if (rawId == null && nested.equals("phoneNumber")) {
                    rawId = "4:" + text(node.get(nested), "value");
                } else if (rawId == null && nested.equals("communicationUser")) {
                    rawId = text(node.get(nested), "id");
                }
            }
        }
        return rawId == null ? null : new Identifier(rawId, kind);
    }

    private static RecognizeCompleted recognizeCompleted(CallIds ids, String ctx, ResultInformation r, JsonNode d) {
        List<String> tones = new ArrayList<>();
        d.path("dtmfResult").path("tones").forEach(t -> tones.add(t.asText()));
        JsonNode choice = d.path("choiceResult");
        JsonNode speech = d.path("speechResult");
        BigDecimal confidence = decimal(choice, "confidence") != null ? decimal(choice, "confidence") : decimal(speech, "confidence");
        return new RecognizeCompleted(ids, ctx, r, text(d, "recognitionType"), List.copyOf(tones),
                text(choice, "label"), text(speech, "speech"), confidence);
    }

    private static List<CallParticipant> participants(JsonNode d) {
        List<CallParticipant> list = new ArrayList<>();
        for (JsonNode p : d.path("participants")) {
            // 2022 payloads list bare identifiers; later ones wrap them with isMuted/isOnHold.
            Identifier id = p.has("identifier") ? identifier(p.get("identifier")) : identifier(p);
            if (id != null) {
                list.add(new CallParticipant(id, p.path("isMuted").asBoolean(false), p.path("isOnHold").asBoolean(false)));
            }
        }
        return List.copyOf(list);
    }

    private static List<String> contentLocations(JsonNode d) {
        List<String> list = new ArrayList<>();
        d.path("recordingStorageInfo").path("recordingChunks").forEach(c -> {
            if (c.hasNonNull("contentLocation")) {
                list.add(c.get("contentLocation").asText());
            }
        });
        return List.copyOf(list);
    }

    private static String transcriptionStatus(JsonNode d) {
        return text(d.path("transcriptionUpdate"), "transcriptionStatus");
    }

    private static String transcriptionDetails(JsonNode d) {
        return text(d.path("transcriptionUpdate"), "transcriptionStatusDetails");
    }

    private static ResultInformation resultOf(JsonNode d) {
        JsonNode r = d.get("resultInformation");
        if (r == null || !r.isObject()) {
            return null;
        }
        return new ResultInformation(integer(r, "code"), integer(r, "subCode"), text(r, "message"));
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    static Integer integer(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.canConvertToInt() && v.isNumber() ? v.intValue() : null;
    }

    static Long longValue(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isNumber() && v.canConvertToLong() ? v.longValue() : null;
    }

    static BigDecimal decimal(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isNumber() ? v.decimalValue() : null;
    }
}
