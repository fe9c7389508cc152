package io.callstream.events.acs;

import java.math.BigDecimal;
import java.util.List;

/**
 * Every ACS event callstream knows, as a sealed family of immutable records: the Event Grid
 * system events and the Call Automation callbacks of the Call Automation overview's two event
 * tables, the events the 2025-05-15 and 2025-08-15-preview REST specs add, Event Grid's
 * subscription validation event, and {@link UnknownEvent} for any type not (yet) listed, so that
 * new ACS event types flow through instead of being dropped.
 *
 * <p>The records carry the facts callstream's projections use; the CloudEvents envelope (id,
 * source, type, subject, time) and the untouched {@code data} object travel beside them (see
 * {@link AcsEvents}). Wire names are the ACS {@code type} strings, mapped to records in
 * {@link AcsEvents#TYPES} and nowhere else.
 */
public sealed interface AcsEvent permits AcsEvent.EventGridEvent, AcsEvent.CallbackEvent, AcsEvent.UnknownEvent {

    /** The call this event belongs to; {@link CallIds#NONE} when it names none. */
    CallIds ids();

    // ---------------------------------------------------------------- Event Grid system events

    /** Events delivered through Azure Event Grid rather than the Call Automation callback URI. */
    sealed interface EventGridEvent extends AcsEvent
            permits IncomingCall, CallStarted, CallEnded, CallParticipantAdded, CallParticipantRemoved,
            RecordingFileStatusUpdated, SubscriptionValidation {
    }

    /** A call rings the application; {@code incomingCallContext} is what AnswerCall, RejectCall and RedirectCall take. */
    record IncomingCall(CallIds ids, Identifier to, Identifier from, String callerDisplayName,
                        String incomingCallContext) implements EventGridEvent {
    }

    /** A call (inbound or outbound) was established. */
    record CallStarted(CallIds ids, Identifier startedBy) implements EventGridEvent {
    }

    /** A call ended for everyone. {@code durationSeconds} is {@code durationOfCall} or {@code callDurationInSeconds}. */
    record CallEnded(CallIds ids, BigDecimal durationSeconds) implements EventGridEvent {
    }

    /** A participant joined a call. */
    record CallParticipantAdded(CallIds ids, Identifier participant, String displayName) implements EventGridEvent {
    }

    /** A participant left a call. */
    record CallParticipantRemoved(CallIds ids, Identifier participant, String displayName) implements EventGridEvent {
    }

    /** A recording's files are available. {@code recordingDurationMs} in milliseconds. */
    record RecordingFileStatusUpdated(CallIds ids, Long recordingDurationMs, String sessionEndReason,
                                      List<String> contentLocations) implements EventGridEvent {
    }

    /** Event Grid's webhook handshake; answered with {@code {"validationResponse": validationCode}}. */
    record SubscriptionValidation(String validationCode, String validationUrl) implements EventGridEvent {
        @Override
        public CallIds ids() {
            return CallIds.NONE;
        }
    }

    // ------------------------------------------------------------- Call Automation callbacks

    /**
     * Events POSTed by Call Automation to the callback URI. {@code operationContext} is the value
     * the causing request supplied ({@code null} when none); {@code resultInformation} is
     * {@code null} on payload versions before 2024-09-01-preview.
     */
    sealed interface CallbackEvent extends AcsEvent
            permits CallConnectionEvent, ParticipantOperationEvent, ParticipantsUpdated, MediaEvent, RecordingEvent {

        String operationContext();

        ResultInformation resultInformation();
    }

    /** Events that move a call connection through its states. */
    sealed interface CallConnectionEvent extends CallbackEvent
            permits CallConnected, CallDisconnected, CreateCallFailed, AnswerFailed, ConnectFailed,
            CallTransferAccepted, CallTransferFailed {
    }

    record CallConnected(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements CallConnectionEvent {
    }

    record CallDisconnected(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements CallConnectionEvent {
    }

    record CreateCallFailed(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements CallConnectionEvent {
    }

    record AnswerFailed(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements CallConnectionEvent {
    }

    record ConnectFailed(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements CallConnectionEvent {
    }

    record CallTransferAccepted(CallIds ids, String operationContext, ResultInformation resultInformation,
                                Identifier transferTarget, Identifier transferee) implements CallConnectionEvent {
    }

    record CallTransferFailed(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements CallConnectionEvent {
    }

    /** The full participant list of one call leg; snapshots are ordered by the call-scoped {@code sequenceNumber}. */
    record ParticipantsUpdated(CallIds ids, String operationContext, ResultInformation resultInformation,
                               Integer sequenceNumber, List<CallParticipant> participants) implements CallbackEvent {
    }

    /** Outcomes of add, cancel-add, remove and move participant requests. */
    sealed interface ParticipantOperationEvent extends CallbackEvent
            permits AddParticipantSucceeded, AddParticipantFailed, CancelAddParticipantSucceeded,
            CancelAddParticipantFailed, RemoveParticipantSucceeded, RemoveParticipantFailed,
            MoveParticipantSucceeded, MoveParticipantFailed {
    }

    record AddParticipantSucceeded(CallIds ids, String operationContext, ResultInformation resultInformation,
                                   Identifier participant) implements ParticipantOperationEvent {
    }

    record AddParticipantFailed(CallIds ids, String operationContext, ResultInformation resultInformation,
                                Identifier participant) implements ParticipantOperationEvent {
    }

    record CancelAddParticipantSucceeded(CallIds ids, String operationContext, ResultInformation resultInformation,
                                         String invitationId) implements ParticipantOperationEvent {
    }

    record CancelAddParticipantFailed(CallIds ids, String operationContext, ResultInformation resultInformation,
                                      String invitationId) implements ParticipantOperationEvent {
    }

    record RemoveParticipantSucceeded(CallIds ids, String operationContext, ResultInformation resultInformation,
                                      Identifier participant) implements ParticipantOperationEvent {
    }

    record RemoveParticipantFailed(CallIds ids, String operationContext, ResultInformation resultInformation,
                                   Identifier participant) implements ParticipantOperationEvent {
    }

    /** 2025-08-15-preview. {@code fromCall} is the callConnectionId the participant was moved from. */
    record MoveParticipantSucceeded(CallIds ids, String operationContext, ResultInformation resultInformation,
                                    Identifier participant, String fromCall) implements ParticipantOperationEvent {
    }

    record MoveParticipantFailed(CallIds ids, String operationContext, ResultInformation resultInformation,
                                 Identifier participant, String fromCall) implements ParticipantOperationEvent {
    }

    /** Media events: play, recognize, DTMF, hold, media streaming and transcription. */
    sealed interface MediaEvent extends CallbackEvent
            permits PlayStarted, PlayCompleted, PlayFailed, PlayCanceled,
            RecognizeCompleted, RecognizeFailed, RecognizeCanceled,
            ContinuousDtmfRecognitionToneReceived, ContinuousDtmfRecognitionToneFailed, ContinuousDtmfRecognitionStopped,
            SendDtmfTonesCompleted, SendDtmfTonesFailed,
            HoldFailed, HoldAudioStarted, HoldAudioPaused, HoldAudioResumed, HoldAudioCompleted,
            MediaStreamingStarted, MediaStreamingStopped, MediaStreamingFailed,
            TranscriptionStarted, TranscriptionStopped, TranscriptionUpdated, TranscriptionFailed,
            TranscriptionCallSummaryUpdated {
    }

    record PlayStarted(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    record PlayCompleted(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    /** {@code failedPlaySourceIndex}: index of the play source that failed, when ACS names one. */
    record PlayFailed(CallIds ids, String operationContext, ResultInformation resultInformation,
                      Integer failedPlaySourceIndex) implements MediaEvent {
    }

    record PlayCanceled(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    /**
     * Recognized input. {@code recognitionType} is {@code dtmf}, {@code speech} or {@code choices};
     * {@code tones} the DTMF tones ({@code five}, {@code pound}, …); {@code label} the chosen choice;
     * {@code speech} the recognized text; {@code confidence} from 0 to 1.
     */
    record RecognizeCompleted(CallIds ids, String operationContext, ResultInformation resultInformation,
                              String recognitionType, List<String> tones, String label, String speech,
                              BigDecimal confidence) implements MediaEvent {
    }

    record RecognizeFailed(CallIds ids, String operationContext, ResultInformation resultInformation,
                           Integer failedPlaySourceIndex) implements MediaEvent {
    }

    record RecognizeCanceled(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    /** One tone of continuous DTMF recognition; {@code sequenceId} orders the tones of a call. */
    record ContinuousDtmfRecognitionToneReceived(CallIds ids, String operationContext, ResultInformation resultInformation,
                                                 Integer sequenceId, String tone) implements MediaEvent {
    }

    record ContinuousDtmfRecognitionToneFailed(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    record ContinuousDtmfRecognitionStopped(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    record SendDtmfTonesCompleted(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    record SendDtmfTonesFailed(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    record HoldFailed(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    record HoldAudioStarted(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    record HoldAudioPaused(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    record HoldAudioResumed(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    record HoldAudioCompleted(CallIds ids, String operationContext, ResultInformation resultInformation)
            implements MediaEvent {
    }

    record MediaStreamingStarted(CallIds ids, String operationContext, ResultInformation resultInformation,
            String status, String statusDetails) implements MediaEvent {
    }

    record MediaStreamingStopped(CallIds ids, String operationContext, ResultInformation resultInformation,
            String status, String statusDetails) implements MediaEvent {
    }

    record MediaStreamingFailed(CallIds ids, String operationContext, ResultInformation resultInformation,
            String status, String statusDetails) implements MediaEvent {
    }

    record TranscriptionStarted(CallIds ids, String operationContext, ResultInformation resultInformation,
            String status, String statusDetails) implements MediaEvent {
    }

    record TranscriptionStopped(CallIds ids, String operationContext, ResultInformation resultInformation,
            String status, String statusDetails) implements MediaEvent {
    }

    record TranscriptionUpdated(CallIds ids, String operationContext, ResultInformation resultInformation,
            String status, String statusDetails) implements MediaEvent {
    }

    record TranscriptionFailed(CallIds ids, String operationContext, ResultInformation resultInformation,
            String status, String statusDetails) implements MediaEvent {
    }

    record TranscriptionCallSummaryUpdated(CallIds ids, String operationContext, ResultInformation resultInformation,
            String status, String statusDetails) implements MediaEvent {
    }

    /** Recording events delivered on the recording-state callback URI. */
    sealed interface RecordingEvent extends CallbackEvent permits RecordingStateChanged, StartRecordingFailed {
    }

    /** A recording's state changed; {@code state} is {@code active}, {@code inactive} or {@code paused}. */
    record RecordingStateChanged(CallIds ids, String operationContext, ResultInformation resultInformation,
                                 String recordingId, String state) implements RecordingEvent {
    }

    /** 2025-08-15-preview: a recording requested with 202 could not start. */
    record StartRecordingFailed(CallIds ids, String operationContext, ResultInformation resultInformation,
                                String recordingId) implements RecordingEvent {
    }

    // ------------------------------------------------------------------------------ Unknown

    /** An event of a type callstream does not list: stored and published all the same. */
    record UnknownEvent(CallIds ids) implements AcsEvent {
    }
}
