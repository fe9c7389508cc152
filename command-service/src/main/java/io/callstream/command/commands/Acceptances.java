package io.callstream.command.commands;

import io.callstream.command.calls.CallRepository;
import io.callstream.command.recordings.RecordingRepository;
import io.callstream.events.acs.CallIds;
import io.callstream.events.commands.CallCommand;
import io.callstream.events.commands.CallCommand.AddParticipant;
import io.callstream.events.commands.CallCommand.AnswerCall;
import io.callstream.events.commands.CallCommand.CancelAddParticipant;
import io.callstream.events.commands.CallCommand.CancelAllMediaOperations;
import io.callstream.events.commands.CallCommand.ConnectCall;
import io.callstream.events.commands.CallCommand.CreateCall;
import io.callstream.events.commands.CallCommand.HangUp;
import io.callstream.events.commands.CallCommand.Hold;
import io.callstream.events.commands.CallCommand.MoveParticipants;
import io.callstream.events.commands.CallCommand.MuteParticipant;
import io.callstream.events.commands.CallCommand.PauseRecording;
import io.callstream.events.commands.CallCommand.Play;
import io.callstream.events.commands.CallCommand.Recognize;
import io.callstream.events.commands.CallCommand.RedirectCall;
import io.callstream.events.commands.CallCommand.RejectCall;
import io.callstream.events.commands.CallCommand.RemoveParticipant;
import io.callstream.events.commands.CallCommand.ResumeRecording;
import io.callstream.events.commands.CallCommand.SendDtmfTones;
import io.callstream.events.commands.CallCommand.StartContinuousDtmfRecognition;
import io.callstream.events.commands.CallCommand.StartMediaStreaming;
import io.callstream.events.commands.CallCommand.StartRecording;
import io.callstream.events.commands.CallCommand.StartTranscription;
import io.callstream.events.commands.CallCommand.StopContinuousDtmfRecognition;
import io.callstream.events.commands.CallCommand.StopMediaStreaming;
import io.callstream.events.commands.CallCommand.StopRecording;
import io.callstream.events.commands.CallCommand.StopTranscription;
import io.callstream.events.commands.CallCommand.SyncCall;
import io.callstream.events.commands.CallCommand.TransferCall;
import io.callstream.events.commands.CallCommand.Unhold;
import io.callstream.events.commands.CallCommand.UpdateTranscription;
import io.callstream.events.commands.CallTarget;
import io.callstream.events.commands.CommandResult;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * Records a command ACS accepted: the command's new status and what its acceptance changes in
 * the call history (a new leg, a transfer under way, a recording, a transcription locale, a
 * SyncCall's reconciliation). The live handler calls it with ACS's answer; a replay calls it
 * with the answer the {@code accepted} result carries, so both build the same rows. Runs in the
 * caller's transaction.
 */
@Component
public class Acceptances {

    private final CommandLifecycle lifecycle;
    private final CallRepository calls;
    private final RecordingRepository recordings;

    Acceptances(CommandLifecycle lifecycle, CallRepository calls, RecordingRepository recordings) {
        this.lifecycle = lifecycle;
        this.calls = calls;
        this.recordings = recordings;
    }

    /**
     * @param at when ACS accepted the command: null live (the new {@code accepted} result's time is
     *           used), the replayed {@code accepted} result's time in a replay; so both write the same instant
     * @return the results: {@code accepted}, and {@code completed} for commands that await no event
     */
    List<CommandResult> record(CallCommand command, String type, AcsAnswer answer, Instant at) {
        String id = command.commandId();
        return switch (command) {
            case CreateCall c -> {
                calls.recordLeg(answer.callConnectionId(), answer.serverCallId(), answer.correlationId(), "outbound",
                        c.sourceCallerIdNumber() == null ? null : "4:" + c.sourceCallerIdNumber(),
                        c.targets().stream().map(CallTarget::rawId).toList());
                yield List.of(lifecycle.accept(id, type, leg(answer)));
            }
            case AnswerCall c -> {
                calls.recordLeg(answer.callConnectionId(), answer.serverCallId(), answer.correlationId(), "inbound", null, null);
                yield List.of(lifecycle.accept(id, type, leg(answer)));
            }
            case ConnectCall c -> {
                calls.recordLeg(answer.callConnectionId(), answer.serverCallId(), answer.correlationId(), null, null, null);
                yield List.of(lifecycle.accept(id, type, leg(answer)));
            }
            case RejectCall c -> acceptedAndCompleted(id, type);
            case RedirectCall c -> acceptedAndCompleted(id, type);
            case AddParticipant c -> List.of(lifecycle.accept(id, type, on(c.callConnectionId()), answer.invitationId()));
            case CancelAddParticipant c -> List.of(lifecycle.accept(id, type, on(c.callConnectionId()), answer.invitationId()));
            case RemoveParticipant c -> accepted(id, type, c.callConnectionId());
            case TransferCall c -> {
                calls.transferring(c.callConnectionId());
                yield accepted(id, type, c.callConnectionId());
            }
            case MoveParticipants c -> accepted(id, type, c.callConnectionId());
            case SyncCall c -> {
                CommandResult accepted = lifecycle.accept(id, type, leg(answer));
                if (answer.snapshot() != null) {
                    calls.reconcile(answer.snapshot(), at == null ? accepted.time() : at);
                }
                yield List.of(accepted, lifecycle.completeOnAcceptance(id, type));
            }
            case Play c -> accepted(id, type, c.callConnectionId());
            case CancelAllMediaOperations c -> acceptedAndCompleted(id, type);
            case MuteParticipant c -> acceptedAndCompleted(id, type);
            // Hold music reports HoldAudioStarted or HoldFailed; a plain hold reports nothing (R11).
            case Hold c -> c.playSource() == null ? acceptedAndCompleted(id, type) : accepted(id, type, c.callConnectionId());
            case Unhold c -> acceptedAndCompleted(id, type);
            case SendDtmfTones c -> accepted(id, type, c.callConnectionId());
            case StartContinuousDtmfRecognition c -> acceptedAndCompleted(id, type);
            case StopContinuousDtmfRecognition c -> accepted(id, type, c.callConnectionId());
            case Recognize c -> accepted(id, type, c.callConnectionId());
            case StartRecording c -> {
                CommandResult accepted = lifecycle.acceptRecording(id, c.serverCallId(), answer.recordingId());
                recordings.started(answer.recordingId(), c.serverCallId(), id, Boolean.TRUE.equals(c.pauseOnStart()) ? "paused" : "active",
                        c.recordingContentType(), c.recordingChannelType(), c.recordingFormatType(), at == null ? accepted.time() : at);
                yield List.of(accepted, lifecycle.completeOnAcceptance(id, type));
            }
            case PauseRecording c -> recordingRequested(id, type, c.recordingId(), "paused", at);
            case ResumeRecording c -> recordingRequested(id, type, c.recordingId(), "active", at);
            case StopRecording c -> recordingRequested(id, type, c.recordingId(), "inactive", at);
            case StartMediaStreaming c -> accepted(id, type, c.callConnectionId());
            case StopMediaStreaming c -> accepted(id, type, c.callConnectionId());
            case StartTranscription c -> transcriptionAccepted(id, type, c.callConnectionId(), c.locale());
            case UpdateTranscription c -> transcriptionAccepted(id, type, c.callConnectionId(), c.locale());
            case StopTranscription c -> accepted(id, type, c.callConnectionId());
            case HangUp c -> accepted(id, type, c.callConnectionId());
        };
    }

    /** A pause, resume or stop ACS accepted: the recording's new state, and the command done. */
    private List<CommandResult> recordingRequested(String commandId, String type, String recordingId, String state, Instant at) {
        CommandResult accepted = lifecycle.accept(commandId, type, on(null));
        recordings.requested(recordingId, state, at == null ? accepted.time() : at);
        return List.of(accepted, lifecycle.completeOnAcceptance(commandId, type));
    }

    /** A transcription start or update ACS accepted: its locale goes on the leg; its state comes with the events. */
    private List<CommandResult> transcriptionAccepted(String commandId, String type, String callConnectionId, String locale) {
        if (locale != null) {
            calls.transcriptionLocale(callConnectionId, locale);
        }
        return accepted(commandId, type, callConnectionId);
    }

    /** Accepted on a leg; the command then awaits its event. */
    private List<CommandResult> accepted(String commandId, String type, String callConnectionId) {
        return List.of(lifecycle.accept(commandId, type, on(callConnectionId)));
    }

    /** Accepted and completed at once, for commands that await no event. */
    private List<CommandResult> acceptedAndCompleted(String commandId, String type) {
        return List.of(lifecycle.accept(commandId, type, on(null)), lifecycle.completeOnAcceptance(commandId, type));
    }

    private static CallIds on(String callConnectionId) {
        return new CallIds(callConnectionId, null, null);
    }

    private static CallIds leg(AcsAnswer answer) {
        return new CallIds(answer.callConnectionId(), answer.serverCallId(), answer.correlationId());
    }
}
