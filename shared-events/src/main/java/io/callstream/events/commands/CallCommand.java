package io.callstream.events.commands;

import java.util.List;

/**
 * The business commands that callstream executes against ACS Call Automation, as a sealed family
 * of immutable records. On Kafka ({@link io.callstream.events.Topics#CALLS_COMMANDS}) a command
 * is a JSON object whose {@code type} member is the command's wire name ({@link Commands#TYPES})
 * and whose other members are the record's components; each has a JSON Schema under
 * {@code io/callstream/events/commands/<type>.schema.json}.
 *
 * <p>Every command carries a {@code commandId} chosen by the publisher: results on
 * {@link io.callstream.events.Topics#COMMAND_RESULTS} are keyed by it, and callstream sends it to
 * ACS as the request's {@code operationContext} so that the resulting events correlate.
 */
public sealed interface CallCommand permits CallCommand.CreateCall, CallCommand.AnswerCall, CallCommand.RejectCall,
        CallCommand.RedirectCall, CallCommand.ConnectCall, CallCommand.TransferCall, CallCommand.AddParticipant,
        CallCommand.CancelAddParticipant, CallCommand.MoveParticipants, CallCommand.RemoveParticipant, CallCommand.HangUp,
        CallCommand.SyncCall, CallCommand.Play, CallCommand.CancelAllMediaOperations, CallCommand.MuteParticipant,
        CallCommand.Hold, CallCommand.Unhold, CallCommand.SendDtmfTones, CallCommand.StartContinuousDtmfRecognition,
        CallCommand.StopContinuousDtmfRecognition, CallCommand.Recognize, CallCommand.StartRecording, CallCommand.PauseRecording,
        CallCommand.ResumeRecording, CallCommand.StopRecording, CallCommand.StartMediaStreaming, CallCommand.StopMediaStreaming,
        CallCommand.StartTranscription, CallCommand.UpdateTranscription, CallCommand.StopTranscription {

    /** The publisher's id for this command; unique, at most 128 characters. */
    String commandId();

    /**
     * Places an outbound call (REST: CreateCall, {@code POST /calling/callConnections}).
     *
     * @param targets one target for a 1:1 call, several for a group call
     * @param sourceCallerIdNumber E.164 number shown to PSTN targets; required when any target is a phone number
     * @param sourceDisplayName display name shown to ACS user targets; optional
     * @param operationContext the publisher's own context, kept with the command; optional
     */
    record CreateCall(String commandId, List<CallTarget> targets, String sourceCallerIdNumber,
                      String sourceDisplayName, String operationContext) implements CallCommand {
    }

    /**
     * Answers an incoming call (REST: AnswerCall, {@code POST /calling/callConnections:answer}).
     *
     * @param incomingCallContext the opaque value from the IncomingCall event, passed through unchanged
     * @param operationContext the publisher's own context, kept with the command; optional
     */
    record AnswerCall(String commandId, String incomingCallContext, String operationContext) implements CallCommand {
    }

    /**
     * Declines an incoming call (REST: RejectCall, {@code POST /calling/callConnections:reject}).
     * Completes when ACS accepts it: no event follows.
     *
     * @param callRejectReason {@code none} (the default), {@code busy} or {@code forbidden}
     */
    record RejectCall(String commandId, String incomingCallContext, String callRejectReason) implements CallCommand {
    }

    /**
     * Sends an incoming call elsewhere without answering it (REST: RedirectCall,
     * {@code POST /calling/callConnections:redirect}). Completes when ACS accepts it. A VoIP call
     * cannot be redirected to a phone number (Call Automation overview); such a command is rejected.
     *
     * @param target an ACS user, or a phone number
     * @param sourceCallerIdNumber E.164 caller id shown to a phone-number target
     */
    record RedirectCall(String commandId, String incomingCallContext, CallTarget target, String sourceCallerIdNumber)
            implements CallCommand {
    }

    /**
     * Joins an ongoing call (REST 2025-05-15: Connect, {@code POST /calling/callConnections:connect}),
     * named by exactly one of its locators. Completes on CallConnected, fails on ConnectFailed.
     *
     * @param serverCallId a server call locator
     * @param groupCallId a group call locator
     * @param roomId a room call locator
     */
    record ConnectCall(String commandId, String serverCallId, String groupCallId, String roomId, String operationContext)
            implements CallCommand {
    }

    /**
     * Transfers a call (REST 2025-05-15: CallConnection_TransferToParticipant): a 1:1 call to
     * {@code target}, or, with {@code transferee}, that participant of a group call. Completes on
     * CallTransferAccepted, fails on CallTransferFailed.
     *
     * @param sourceCallerIdNumber E.164 caller id for a phone-number target
     * @param customCallingContext VoIP headers, or SIP headers (User-To-User and {@code X-MS-Custom-} headers)
     */
    record TransferCall(String commandId, String callConnectionId, CallTarget target, CallTarget transferee,
                        String sourceCallerIdNumber, CustomCallingContext customCallingContext, String operationCallbackUri,
                        String operationContext) implements CallCommand {
    }

    /**
     * Invites a participant into a call (REST 2025-05-15: CallConnection_AddParticipant). Completes
     * on AddParticipantSucceeded, fails on AddParticipantFailed. The accepted result carries ACS's
     * {@code invitationId}.
     *
     * @param participant who to add
     * @param sourceCallerIdNumber E.164 caller id; required for a phone-number participant
     * @param sourceDisplayName display name shown to an ACS user
     * @param invitationTimeoutInSeconds how long the invitation rings, 0 to 180 seconds
     * @param customCallingContext VoIP headers, or SIP headers (User-To-User and {@code X-MS-Custom-} headers)
     * @param operationCallbackUri where this operation's events go instead of the call's callback URI
     * @param operationContext the publisher's own context, kept with the command
     */
    record AddParticipant(String commandId, String callConnectionId, CallTarget participant, String sourceCallerIdNumber,
                          String sourceDisplayName, Integer invitationTimeoutInSeconds, CustomCallingContext customCallingContext,
                          String operationCallbackUri, String operationContext) implements CallCommand {
    }

    /**
     * Cancels a pending invitation (REST 2025-05-15: CallConnection_CancelAddParticipant), named by
     * ACS's {@code invitationId} or by the commandId of the AddParticipant that made it. Completes on
     * CancelAddParticipantSucceeded, fails on CancelAddParticipantFailed.
     */
    record CancelAddParticipant(String commandId, String callConnectionId, String invitationId,
                                String addParticipantCommandId, String operationCallbackUri) implements CallCommand {
    }

    /**
     * Moves participants from another call into this one (REST 2025-08-15-preview:
     * CallConnection_MoveParticipants, {@code …/participants:moveHere}). Completes on
     * MoveParticipantSucceeded, fails on MoveParticipantFailed.
     *
     * @param callConnectionId the destination call connection
     * @param fromCall the callConnectionId of the call the participants are in now
     */
    record MoveParticipants(String commandId, String callConnectionId, String fromCall, java.util.List<CallTarget> participants,
                            String operationCallbackUri, String operationContext) implements CallCommand {
    }

    /**
     * Removes a participant from a call (REST 2025-05-15: CallConnection_RemoveParticipant).
     * Completes on RemoveParticipantSucceeded, fails on RemoveParticipantFailed.
     */
    record RemoveParticipant(String commandId, String callConnectionId, CallTarget participant, String operationCallbackUri,
                             String operationContext) implements CallCommand {
    }

    /**
     * Leaves a call, or ends it for everyone (REST: CallConnection_HangupCall
     * {@code DELETE /calling/callConnections/{id}}, or CallConnection_TerminateCall
     * {@code POST …:terminate} when {@code forEveryone}).
     *
     * @param callConnectionId the application's call leg
     * @param forEveryone end the call for every participant instead of only leaving it
     */
    record HangUp(String commandId, String callConnectionId, boolean forEveryone) implements CallCommand {
    }

    /**
     * Reads a call's properties and participants from ACS (CallConnection_GetCall,
     * CallConnection_GetParticipants) and reconciles the projection with them. Completes at once.
     */
    record SyncCall(String commandId, String callConnectionId) implements CallCommand {
    }

    // ----------------------------------------------------------------------------- mid-call media

    /**
     * Plays audio (REST 2025-05-15: CallMedia_Play) to everyone, or to {@code playTo}. Completes on
     * PlayCompleted, fails on PlayFailed or PlayCanceled.
     *
     * @param playSources what to play, in order
     * @param playTo who hears it; empty or absent for everyone
     * @param loop repeat until cancelled
     * @param interruptCallMediaOperation interrupt a running media operation
     */
    record Play(String commandId, String callConnectionId, java.util.List<PlaySource> playSources, java.util.List<CallTarget> playTo,
                Boolean loop, Boolean interruptCallMediaOperation, String operationCallbackUri, String operationContext)
            implements CallCommand {
    }

    /** Cancels every running play and recognize (REST: CallMedia_CancelAllMediaOperations). Completes on acceptance. */
    record CancelAllMediaOperations(String commandId, String callConnectionId) implements CallCommand {
    }

    /** Mutes a participant (REST 2025-05-15: CallConnection_Mute). Completes on acceptance; ParticipantsUpdated shows it. */
    record MuteParticipant(String commandId, String callConnectionId, CallTarget participant, String operationContext)
            implements CallCommand {
    }

    /**
     * Puts a participant on hold (REST 2025-05-15: CallMedia_Hold), with optional hold music.
     * Completes on acceptance; ParticipantsUpdated shows it; HoldFailed fails it.
     */
    record Hold(String commandId, String callConnectionId, CallTarget participant, PlaySource playSource,
                String operationCallbackUri, String operationContext) implements CallCommand {
    }

    /** Takes a participant off hold (REST 2025-05-15: CallMedia_Unhold). Completes on acceptance. */
    record Unhold(String commandId, String callConnectionId, CallTarget participant, String operationContext)
            implements CallCommand {
    }

    /**
     * Sends DTMF tones to a participant (REST 2025-05-15: CallMedia_SendDtmfTones). Completes on
     * SendDtmfTonesCompleted, fails on SendDtmfTonesFailed.
     *
     * @param tones {@code zero}…{@code nine}, {@code a}…{@code d}, {@code pound}, {@code asterisk}
     */
    record SendDtmfTones(String commandId, String callConnectionId, CallTarget participant, java.util.List<String> tones,
                         String operationCallbackUri, String operationContext) implements CallCommand {
    }

    /**
     * Starts continuous DTMF recognition for one participant (REST 2025-05-15:
     * CallMedia_StartContinuousDtmfRecognition). Completes on acceptance; each tone then arrives as
     * ContinuousDtmfRecognitionToneReceived and becomes a row of {@code dtmf_tones}.
     */
    record StartContinuousDtmfRecognition(String commandId, String callConnectionId, CallTarget participant,
                                          String operationCallbackUri, String operationContext) implements CallCommand {
    }

    /**
     * Stops continuous DTMF recognition (REST 2025-05-15: CallMedia_StopContinuousDtmfRecognition).
     * Completes on ContinuousDtmfRecognitionStopped.
     */
    record StopContinuousDtmfRecognition(String commandId, String callConnectionId, CallTarget participant,
                                         String operationCallbackUri, String operationContext) implements CallCommand {
    }

    /**
     * Collects input from a participant (REST 2025-05-15: CallMedia_Recognize), after optional
     * prompts. Completes on RecognizeCompleted (the input is stored in {@code recognized_inputs}),
     * fails on RecognizeFailed or RecognizeCanceled.
     *
     * @param recognizeInputType {@code dtmf}, {@code speech}, {@code speechOrDtmf} or {@code choices}
     * @param prompts played before listening; they produce no Play events
     * @param interruptPrompt whether input stops the prompt
     * @param initialSilenceTimeoutInSeconds how long to wait for the first input, 0 to 300 seconds
     * @param dtmf DTMF limits, for dtmf and speechOrDtmf
     * @param choices the labels to choose from, for choices
     * @param speechLanguage e.g. {@code en-US}
     */
    record Recognize(String commandId, String callConnectionId, String recognizeInputType, CallTarget participant,
                     java.util.List<PlaySource> prompts, Boolean interruptPrompt, Integer initialSilenceTimeoutInSeconds,
                     DtmfOptions dtmf, java.util.List<RecognizeChoice> choices, String speechLanguage,
                     String operationCallbackUri, String operationContext) implements CallCommand {
    }

    /**
     * @param maxTonesToCollect stop after this many tones
     * @param interToneTimeoutInSeconds the longest pause between tones, 1 to 60 seconds
     * @param stopTones tones that end the input early
     */
    record DtmfOptions(Integer maxTonesToCollect, Integer interToneTimeoutInSeconds, java.util.List<String> stopTones) {
    }

    /**
     * @param label what the choice is called in the result
     * @param phrases what a caller may say for it
     * @param tone the DTMF tone that picks it
     */
    record RecognizeChoice(String label, java.util.List<String> phrases, String tone) {
    }

    // ------------------------------------------------------------------------------ recording

    /**
     * Starts recording a call (REST 2025-05-15: CallRecording_StartRecording) by its server call
     * locator. Completes on acceptance; the accepted result carries the {@code recordingId}, and the
     * {@code recordings} table follows RecordingStateChanged and RecordingFileStatusUpdated.
     *
     * @param recordingContentType {@code audio} or {@code audioVideo}
     * @param recordingChannelType {@code mixed} or {@code unmixed}
     * @param recordingFormatType {@code wav}, {@code mp3} or {@code mp4}
     * @param channelAffinity which participant goes to which channel (unmixed audio)
     * @param pauseOnStart start paused
     * @param blobContainerUrl an Azure Blob container for the files instead of ACS storage
     */
    record StartRecording(String commandId, String serverCallId, String recordingContentType, String recordingChannelType,
                          String recordingFormatType, java.util.List<ChannelAffinity> channelAffinity, Boolean pauseOnStart,
                          String blobContainerUrl) implements CallCommand {
    }

    /**
     * @param channel the audio channel, 0 to 4
     * @param participant who is recorded on it
     */
    record ChannelAffinity(Integer channel, CallTarget participant) {
    }

    /** Pauses a recording (REST: CallRecording_PauseRecording). Completes on acceptance. */
    record PauseRecording(String commandId, String recordingId) implements CallCommand {
    }

    /** Resumes a paused recording (REST: CallRecording_ResumeRecording). Completes on acceptance. */
    record ResumeRecording(String commandId, String recordingId) implements CallCommand {
    }

    /**
     * Stops a recording (REST: CallRecording_StopRecording). Completes on acceptance; the files are
     * announced later by Event Grid's RecordingFileStatusUpdated.
     */
    record StopRecording(String commandId, String recordingId) implements CallCommand {
    }

    // ------------------------------------------------------------- media streaming, transcription

    /** Starts media streaming (REST 2025-05-15: CallMedia_StartMediaStreaming). Completes on MediaStreamingStarted, fails on MediaStreamingFailed. */
    record StartMediaStreaming(String commandId, String callConnectionId, String operationCallbackUri, String operationContext)
            implements CallCommand {
    }

    /** Stops media streaming (REST: CallMedia_StopMediaStreaming). Completes on MediaStreamingStopped, fails on MediaStreamingFailed. */
    record StopMediaStreaming(String commandId, String callConnectionId, String operationCallbackUri, String operationContext)
            implements CallCommand {
    }

    /**
     * Starts transcription (REST 2025-05-15: CallMedia_StartTranscription). Completes on
     * TranscriptionStarted, fails on TranscriptionFailed.
     *
     * @param locale e.g. {@code en-US}; a locale without a region is refused by ACS
     * @param speechModelEndpointId a custom speech model, optional
     */
    record StartTranscription(String commandId, String callConnectionId, String locale, String speechModelEndpointId,
                              String operationCallbackUri, String operationContext) implements CallCommand {
    }

    /** Changes the transcription locale (REST: CallMedia_UpdateTranscription). Completes on TranscriptionUpdated, fails on TranscriptionFailed. */
    record UpdateTranscription(String commandId, String callConnectionId, String locale, String speechModelEndpointId,
                               String operationCallbackUri, String operationContext) implements CallCommand {
    }

    /** Stops transcription (REST: CallMedia_StopTranscription). Completes on TranscriptionStopped, fails on TranscriptionFailed. */
    record StopTranscription(String commandId, String callConnectionId, String operationCallbackUri, String operationContext)
            implements CallCommand {
    }
}
