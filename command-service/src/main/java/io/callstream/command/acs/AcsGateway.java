package io.callstream.command.acs;

import io.callstream.events.commands.CallCommand.AddParticipant;
import io.callstream.events.commands.CallCommand.AnswerCall;
import io.callstream.events.commands.CallCommand.Hold;
import io.callstream.events.commands.CallCommand.MuteParticipant;
import io.callstream.events.commands.CallCommand.Play;
import io.callstream.events.commands.CallCommand.Recognize;
import io.callstream.events.commands.CallCommand.StartRecording;
import io.callstream.events.commands.CallCommand.StartMediaStreaming;
import io.callstream.events.commands.CallCommand.StopMediaStreaming;
import io.callstream.events.commands.CallCommand.StartTranscription;
import io.callstream.events.commands.CallCommand.UpdateTranscription;
import io.callstream.events.commands.CallCommand.StopTranscription;
import io.callstream.events.commands.CallCommand.SendDtmfTones;
import io.callstream.events.commands.CallCommand.StartContinuousDtmfRecognition;
import io.callstream.events.commands.CallCommand.StopContinuousDtmfRecognition;
import io.callstream.events.commands.CallCommand.Unhold;
import io.callstream.events.commands.CallCommand.ConnectCall;
import io.callstream.events.commands.CallCommand.MoveParticipants;
import io.callstream.events.commands.CallCommand.TransferCall;
import io.callstream.events.commands.CallCommand.CreateCall;
import io.callstream.events.commands.CallCommand.HangUp;
import io.callstream.events.commands.CallCommand.RedirectCall;
import io.callstream.events.commands.CallCommand.RejectCall;
import io.callstream.events.commands.CallCommand.RemoveParticipant;

/**
 * The Call Automation operations command-service issues, with ACS's SDK kept behind it: nothing
 * outside this package imports {@code com.azure.*}. Every call sends the command's
 * {@code commandId} as the request's {@code operationContext}, so the events it causes correlate.
 * Each method blocks for one REST round trip (SDK retries included). Operations the SDK 1.0.4
 * lacks, or lacks fields of, go over REST at api-version 2025-05-15 through the SDK's own pipeline
 * and HMAC policy ({@link AcsRest}); callers cannot tell the difference, so a later SDK can take
 * them over here without touching the command handlers.
 */
public interface AcsGateway {

    /**
     * CreateCall ({@code POST /calling/callConnections}): a 1:1 call for one target, a group call for several.
     *
     * @return the new call connection's ids
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    AcsCallConnection createCall(CreateCall command);

    /**
     * AnswerCall ({@code POST /calling/callConnections:answer}).
     *
     * @return the answered call connection's ids
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    AcsCallConnection answerCall(AnswerCall command);

    /**
     * CallConnection_HangupCall ({@code DELETE /calling/callConnections/{id}}), or
     * CallConnection_TerminateCall ({@code POST …:terminate}) when the command is for everyone.
     *
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    void hangUp(HangUp command);

    /**
     * RejectCall ({@code POST /calling/callConnections:reject}).
     *
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    void rejectCall(RejectCall command);

    /**
     * RedirectCall ({@code POST /calling/callConnections:redirect}).
     *
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    void redirectCall(RedirectCall command);

    /**
     * CallConnection_AddParticipant ({@code POST …/participants:add}, REST 2025-05-15).
     *
     * @return ACS's {@code invitationId}, which CancelAddParticipant takes
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    String addParticipant(AddParticipant command);

    /**
     * CallConnection_CancelAddParticipant ({@code POST …/participants:cancelAddParticipant}, REST 2025-05-15).
     *
     * @param commandId sent as the operationContext
     * @param operationCallbackUri where the outcome event goes; {@code null} for the call's callback URI
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    void cancelAddParticipant(String callConnectionId, String invitationId, String commandId, String operationCallbackUri);

    /**
     * CallConnection_RemoveParticipant ({@code POST …/participants:remove}, REST 2025-05-15).
     *
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    void removeParticipant(RemoveParticipant command);

    /**
     * Connect ({@code POST /calling/callConnections:connect}, REST 2025-05-15).
     *
     * @return the new call connection's ids
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    AcsCallConnection connectCall(ConnectCall command);

    /**
     * CallConnection_TransferToParticipant ({@code POST …:transferToParticipant}, REST 2025-05-15),
     * with transferee, custom calling context and operationCallbackUri when given.
     *
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    void transferCall(TransferCall command);

    /**
     * CallConnection_MoveParticipants ({@code POST …/participants:moveHere}, REST 2025-08-15-preview).
     *
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    void moveParticipants(MoveParticipants command);

    /**
     * CallConnection_GetCall and CallConnection_GetParticipants (REST 2025-05-15).
     *
     * @return the call's state and participants as ACS sees them now
     * @throws AcsRequestException when ACS refuses the request (404 for an unknown or ended call)
     */
    AcsCallSnapshot getCall(String callConnectionId);

    /** CallMedia_Play ({@code POST …:play}, REST 2025-05-15). @throws AcsRequestException when refused */
    void play(Play command);

    /** CallMedia_CancelAllMediaOperations ({@code POST …:cancelAllMediaOperations}). @throws AcsRequestException when refused */
    void cancelAllMediaOperations(String callConnectionId);

    /** CallConnection_Mute ({@code POST …/participants:mute}, REST 2025-05-15). @throws AcsRequestException when refused */
    void mute(MuteParticipant command);

    /** CallMedia_Hold ({@code POST …:hold}, REST 2025-05-15). @throws AcsRequestException when refused */
    void hold(Hold command);

    /** CallMedia_Unhold ({@code POST …:unhold}, REST 2025-05-15). @throws AcsRequestException when refused */
    void unhold(Unhold command);

    /** CallMedia_SendDtmfTones ({@code POST …:sendDtmfTones}, REST 2025-05-15). @throws AcsRequestException when refused */
    void sendDtmfTones(SendDtmfTones command);

    /** CallMedia_StartContinuousDtmfRecognition (REST 2025-05-15). @throws AcsRequestException when refused */
    void startContinuousDtmfRecognition(StartContinuousDtmfRecognition command);

    /** CallMedia_StopContinuousDtmfRecognition (REST 2025-05-15). @throws AcsRequestException when refused */
    void stopContinuousDtmfRecognition(StopContinuousDtmfRecognition command);

    /** CallMedia_Recognize ({@code POST …:recognize}, REST 2025-05-15). @throws AcsRequestException when refused */
    void recognize(Recognize command);

    /**
     * CallRecording_StartRecording ({@code POST /calling/recordings}, REST 2025-05-15), with the
     * callback URI as {@code recordingStateCallbackUri}.
     *
     * @throws AcsRequestException when refused
     */
    AcsRecording startRecording(StartRecording command);

    /** CallRecording_PauseRecording ({@code POST /calling/recordings/{id}:pause}). @throws AcsRequestException when refused */
    void pauseRecording(String recordingId);

    /** CallRecording_ResumeRecording ({@code POST /calling/recordings/{id}:resume}). @throws AcsRequestException when refused */
    void resumeRecording(String recordingId);

    /** CallRecording_StopRecording ({@code DELETE /calling/recordings/{id}}). @throws AcsRequestException when refused */
    void stopRecording(String recordingId);

    /** CallMedia_StartMediaStreaming (REST 2025-05-15). @throws AcsRequestException when refused */
    void startMediaStreaming(StartMediaStreaming command);

    /** CallMedia_StopMediaStreaming (REST 2025-05-15). @throws AcsRequestException when refused */
    void stopMediaStreaming(StopMediaStreaming command);

    /** CallMedia_StartTranscription (REST 2025-05-15). @throws AcsRequestException when refused */
    void startTranscription(StartTranscription command);

    /** CallMedia_UpdateTranscription (REST 2025-05-15). @throws AcsRequestException when refused */
    void updateTranscription(UpdateTranscription command);

    /** CallMedia_StopTranscription (REST 2025-05-15). @throws AcsRequestException when refused */
    void stopTranscription(StopTranscription command);
}
