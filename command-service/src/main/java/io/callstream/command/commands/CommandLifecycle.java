package io.callstream.command.commands;

import io.callstream.command.history.ReceivedEvent;
import io.callstream.events.acs.AcsEvent;
import io.callstream.events.acs.AcsEvent.AddParticipantFailed;
import io.callstream.events.acs.AcsEvent.AddParticipantSucceeded;
import io.callstream.events.acs.AcsEvent.AnswerFailed;
import io.callstream.events.acs.AcsEvent.CallTransferAccepted;
import io.callstream.events.acs.AcsEvent.ContinuousDtmfRecognitionStopped;
import io.callstream.events.acs.AcsEvent.HoldAudioStarted;
import io.callstream.events.acs.AcsEvent.HoldFailed;
import io.callstream.events.acs.AcsEvent.PlayCanceled;
import io.callstream.events.acs.AcsEvent.PlayCompleted;
import io.callstream.events.acs.AcsEvent.PlayFailed;
import io.callstream.events.acs.AcsEvent.MediaStreamingFailed;
import io.callstream.events.acs.AcsEvent.MediaStreamingStarted;
import io.callstream.events.acs.AcsEvent.MediaStreamingStopped;
import io.callstream.events.acs.AcsEvent.TranscriptionFailed;
import io.callstream.events.acs.AcsEvent.TranscriptionStarted;
import io.callstream.events.acs.AcsEvent.TranscriptionStopped;
import io.callstream.events.acs.AcsEvent.TranscriptionUpdated;
import io.callstream.events.acs.AcsEvent.RecognizeCanceled;
import io.callstream.events.acs.AcsEvent.RecognizeCompleted;
import io.callstream.events.acs.AcsEvent.RecognizeFailed;
import io.callstream.events.acs.AcsEvent.SendDtmfTonesCompleted;
import io.callstream.events.acs.AcsEvent.SendDtmfTonesFailed;
import io.callstream.events.acs.AcsEvent.CallTransferFailed;
import io.callstream.events.acs.AcsEvent.CancelAddParticipantFailed;
import io.callstream.events.acs.AcsEvent.ConnectFailed;
import io.callstream.events.acs.AcsEvent.MoveParticipantFailed;
import io.callstream.events.acs.AcsEvent.MoveParticipantSucceeded;
import io.callstream.events.acs.AcsEvent.CancelAddParticipantSucceeded;
import io.callstream.events.acs.AcsEvent.RemoveParticipantFailed;
import io.callstream.events.acs.AcsEvent.RemoveParticipantSucceeded;
import io.callstream.events.acs.AcsEvent.CallConnected;
import io.callstream.events.acs.AcsEvent.CallDisconnected;
import io.callstream.events.acs.AcsEvent.CreateCallFailed;
import io.callstream.events.acs.CallIds;
import io.callstream.events.acs.ResultInformation;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.CommandResult.Status;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Moves commands through their lifecycle and says which result each step publishes. Events find
 * their command by {@code operationContext} (= commandId); HangUp, which sends none, by the leg's
 * CallDisconnected; a cancelled AddParticipant by its invitationId. None of these depends on
 * whether the REST response was recorded first.
 */
@Component
public class CommandLifecycle {

    private final CommandRepository commands;

    CommandLifecycle(CommandRepository commands) {
        this.commands = commands;
    }

    /** See {@link CommandRepository#claim}. */
    CommandRepository.Claim claim(String commandId, String commandType, String operationContext, String callConnectionId, String payload) {
        return commands.claim(commandId, commandType, operationContext, callConnectionId, payload);
    }

    /**
     * Records a rejection.
     *
     * @return its result; empty when the command had already ended
     */
    public Optional<CommandResult> reject(String commandId, String commandType, String reason, String errorCode, String payload) {
        return refuse(commandId, commandType, Status.REJECTED, reason, errorCode, payload);
    }

    /**
     * Records a command whose ACS request failed through every retry. When its events ended it
     * meanwhile (ACS acted, but its answer never arrived), that ending stands.
     *
     * @return its result; empty when the command had already ended
     */
    public Optional<CommandResult> failUnanswered(String commandId, String commandType, String reason, String errorCode, String payload) {
        return refuse(commandId, commandType, Status.FAILED, reason, errorCode, payload);
    }

    private Optional<CommandResult> refuse(String commandId, String commandType, Status status, String reason, String errorCode, String payload) {
        if (!commands.refuse(commandId, commandType, status, reason, errorCode, payload)) {
            return Optional.empty();
        }
        return Optional.of(new CommandResult(commandId, commandType, status, reason, null, null, null, null, null, errorCode, null, null,
                Instant.now()));
    }

    /** Records an acceptance and returns its result. */
    public CommandResult accept(String commandId, String commandType, CallIds ids) {
        return accept(commandId, commandType, ids, null);
    }

    /** Records an acceptance with ACS's invitationId (AddParticipant) and returns its result. */
    public CommandResult accept(String commandId, String commandType, CallIds ids, String invitationId) {
        commands.accept(commandId, ids.callConnectionId(), ids.serverCallId(), ids.correlationId(), invitationId);
        return new CommandResult(commandId, commandType, Status.ACCEPTED, null, ids.callConnectionId(), ids.serverCallId(),
                ids.correlationId(), invitationId, null, null, null, null, Instant.now());
    }

    /** Records the acceptance of a StartRecording, with ACS's recordingId, and returns its result. */
    public CommandResult acceptRecording(String commandId, String serverCallId, String recordingId) {
        commands.accept(commandId, null, serverCallId, null, null);
        return new CommandResult(commandId, "StartRecording", Status.ACCEPTED, null, null, serverCallId, null, null, recordingId,
                null, null, null, Instant.now());
    }

    /**
     * Ends a command that awaits no event (RejectCall, RedirectCall): it is complete once ACS accepted it.
     *
     * @return the completed result
     */
    public CommandResult completeOnAcceptance(String commandId, String commandType) {
        commands.end(commandId, Status.COMPLETED, null, null, null, null, null, null);
        return new CommandResult(commandId, commandType, Status.COMPLETED, null, null, null, null, null, null, null, null, null, Instant.now());
    }

    /** The invitationId of an accepted AddParticipant command, for CancelAddParticipant. */
    public Optional<String> invitationOf(String addParticipantCommandId) {
        return commands.invitationOf(addParticipantCommandId);
    }

    /** Who is calling on a ringing call, from its IncomingCall event, if that event is stored. */
    public Optional<String> callerOf(String incomingCallContext) {
        return commands.callerOf(incomingCallContext);
    }

    /**
     * Prepares the correlation of a batch of events with the commands they end: the command rows
     * the batch's operationContexts name, the HangUps waiting on the legs it disconnects, and the
     * AddParticipants whose invitations it cancels, are read in one query each instead of one or two
     * per event ({@code make bench}). Call it inside the batch's transaction. Rows read up front
     * stay right for the whole batch: a command is claimed before its ACS request is sent, so
     * before any event it causes, and ending one is guarded in SQL, so a row ended earlier in the
     * batch is not ended twice.
     */
    public Correlator correlator(List<ReceivedEvent> batch) {
        Set<String> contexts = new HashSet<>();
        Set<String> disconnectedLegs = new HashSet<>();
        Set<String> cancelledInvitations = new HashSet<>();
        for (ReceivedEvent received : batch) {
            if (received.operationContext() != null) {
                contexts.add(received.operationContext());
            }
            if (received.event() instanceof CallDisconnected d && d.ids().callConnectionId() != null) {
                disconnectedLegs.add(d.ids().callConnectionId());
            }
            if (received.event() instanceof CancelAddParticipantSucceeded cancelled && cancelled.invitationId() != null) {
                cancelledInvitations.add(cancelled.invitationId());
            }
        }
        return new Correlator(commands.findAll(contexts), commands.pendingHangUps(disconnectedLegs),
                commands.findByInvitations(cancelledInvitations));
    }

    /** The correlation of one batch; see {@link #correlator}. */
    public final class Correlator {

        private final Map<String, CommandRepository.Row> byCommandId;
        private final Map<String, List<CommandRepository.Row>> hangUpsByLeg;
        private final Map<String, CommandRepository.Row> addsByInvitation;

        private Correlator(Map<String, CommandRepository.Row> byCommandId, Map<String, List<CommandRepository.Row>> hangUpsByLeg,
                           Map<String, CommandRepository.Row> addsByInvitation) {
            this.byCommandId = byCommandId;
            this.hangUpsByLeg = hangUpsByLeg;
            this.addsByInvitation = addsByInvitation;
        }

        /**
         * The commands one event of the batch ends, ended.
         *
         * @return the completed or failed results to publish (empty when the event ends none)
         */
        public List<CommandResult> correlate(ReceivedEvent received) {
            List<CommandResult> results = new ArrayList<>();
            AcsEvent event = received.event();
            String context = received.operationContext();
            if (context != null) {
                Optional.ofNullable(byCommandId.get(context)).flatMap(row -> outcome(row, event))
                        .ifPresent(o -> end(o, event.ids()).ifPresent(results::add));
            }
            if (event instanceof CallDisconnected disconnected && disconnected.ids().callConnectionId() != null) {
                for (CommandRepository.Row hangUp : hangUpsByLeg.getOrDefault(disconnected.ids().callConnectionId(), List.of())) {
                    end(new Outcome(hangUp, Status.COMPLETED, null, disconnected.resultInformation()), event.ids()).ifPresent(results::add);
                }
            }
            if (event instanceof CancelAddParticipantSucceeded cancelled && cancelled.invitationId() != null) {
                // The cancelled invitation's AddParticipant ends too; ACS sends no AddParticipantFailed after a cancel (R16).
                Optional.ofNullable(addsByInvitation.get(cancelled.invitationId()))
                        .map(add -> new Outcome(add, Status.FAILED, reason("invitation cancelled", cancelled.resultInformation()),
                                cancelled.resultInformation()))
                        .flatMap(o -> end(o, event.ids())).ifPresent(results::add);
            }
            return results;
        }
    }

    private record Outcome(CommandRepository.Row row, Status status, String reason, ResultInformation result) {
    }

    /** What an event means for the command that caused it (matched by operationContext), if anything. */
    private static Optional<Outcome> outcome(CommandRepository.Row row, AcsEvent event) {
        String type = row.commandType() == null ? "" : row.commandType();
        Outcome outcome = switch (type) {
            case "CreateCall" -> switch (event) {
                case CallConnected e -> completed(row, e.resultInformation());
                case CreateCallFailed e -> failed(row, "CreateCallFailed", e.resultInformation());
                case CallDisconnected e -> failed(row, "CallDisconnected before CallConnected", e.resultInformation());
                default -> null;
            };
            case "AnswerCall" -> switch (event) {
                case CallConnected e -> completed(row, e.resultInformation());
                case AnswerFailed e -> failed(row, "AnswerFailed", e.resultInformation());
                default -> null;
            };
            case "ConnectCall" -> switch (event) {
                case CallConnected e -> completed(row, e.resultInformation());
                case ConnectFailed e -> failed(row, "ConnectFailed", e.resultInformation());
                default -> null;
            };
            case "TransferCall" -> switch (event) {
                case CallTransferAccepted e -> completed(row, e.resultInformation());
                case CallTransferFailed e -> failed(row, "CallTransferFailed", e.resultInformation());
                default -> null;
            };
            case "MoveParticipants" -> switch (event) {
                case MoveParticipantSucceeded e -> completed(row, e.resultInformation());
                case MoveParticipantFailed e -> failed(row, "MoveParticipantFailed", e.resultInformation());
                default -> null;
            };
            case "Play" -> switch (event) {
                case PlayCompleted e -> completed(row, e.resultInformation());
                case PlayFailed e -> failed(row, "PlayFailed", e.resultInformation());
                case PlayCanceled e -> failed(row, "PlayCanceled", e.resultInformation());
                default -> null;
            };
            case "Recognize" -> switch (event) {
                case RecognizeCompleted e -> completed(row, e.resultInformation());
                case RecognizeFailed e -> failed(row, "RecognizeFailed", e.resultInformation());
                case RecognizeCanceled e -> failed(row, "RecognizeCanceled", e.resultInformation());
                default -> null;
            };
            case "StartMediaStreaming" -> switch (event) {
                case MediaStreamingStarted e -> completed(row, e.resultInformation());
                case MediaStreamingFailed e -> failed(row, "MediaStreamingFailed", e.resultInformation());
                default -> null;
            };
            case "StopMediaStreaming" -> switch (event) {
                case MediaStreamingStopped e -> completed(row, e.resultInformation());
                case MediaStreamingFailed e -> failed(row, "MediaStreamingFailed", e.resultInformation());
                default -> null;
            };
            case "StartTranscription" -> switch (event) {
                case TranscriptionStarted e -> completed(row, e.resultInformation());
                case TranscriptionFailed e -> failed(row, "TranscriptionFailed", e.resultInformation());
                default -> null;
            };
            case "UpdateTranscription" -> switch (event) {
                case TranscriptionUpdated e -> completed(row, e.resultInformation());
                case TranscriptionFailed e -> failed(row, "TranscriptionFailed", e.resultInformation());
                default -> null;
            };
            case "StopTranscription" -> switch (event) {
                case TranscriptionStopped e -> completed(row, e.resultInformation());
                case TranscriptionFailed e -> failed(row, "TranscriptionFailed", e.resultInformation());
                default -> null;
            };
            case "Hold" -> switch (event) {
                case HoldAudioStarted e -> completed(row, e.resultInformation());
                case HoldFailed e -> failed(row, "HoldFailed", e.resultInformation());
                default -> null;
            };
            case "SendDtmfTones" -> switch (event) {
                case SendDtmfTonesCompleted e -> completed(row, e.resultInformation());
                case SendDtmfTonesFailed e -> failed(row, "SendDtmfTonesFailed", e.resultInformation());
                default -> null;
            };
            case "StopContinuousDtmfRecognition" -> switch (event) {
                case ContinuousDtmfRecognitionStopped e -> completed(row, e.resultInformation());
                default -> null;
            };
            case "AddParticipant" -> switch (event) {
                case AddParticipantSucceeded e -> completed(row, e.resultInformation());
                case AddParticipantFailed e -> failed(row, "AddParticipantFailed", e.resultInformation());
                default -> null;
            };
            case "CancelAddParticipant" -> switch (event) {
                case CancelAddParticipantSucceeded e -> completed(row, e.resultInformation());
                case CancelAddParticipantFailed e -> failed(row, "CancelAddParticipantFailed", e.resultInformation());
                default -> null;
            };
            case "RemoveParticipant" -> switch (event) {
                case RemoveParticipantSucceeded e -> completed(row, e.resultInformation());
                case RemoveParticipantFailed e -> failed(row, "RemoveParticipantFailed", e.resultInformation());
                default -> null;
            };
            default -> null;
        };
        return Optional.ofNullable(outcome);
    }

    private static Outcome completed(CommandRepository.Row row, ResultInformation result) {
        return new Outcome(row, Status.COMPLETED, null, result);
    }

    private static Outcome failed(CommandRepository.Row row, String what, ResultInformation result) {
        return new Outcome(row, Status.FAILED, reason(what, result), result);
    }

    private Optional<CommandResult> end(Outcome o, CallIds ids) {
        ResultInformation r = o.result();
        String code = r == null || r.code() == null ? null : String.valueOf(r.code());
        Integer subCode = r == null ? null : r.subCode();
        if (!commands.end(o.row().commandId(), o.status(), o.reason(), code, subCode,
                ids.callConnectionId(), ids.serverCallId(), ids.correlationId())) {
            return Optional.empty();
        }
        return Optional.of(new CommandResult(o.row().commandId(), o.row().commandType(), o.status(), o.reason(),
                ids.callConnectionId(), ids.serverCallId(), ids.correlationId(), null, null, code, subCode,
                r == null ? null : r.message(), Instant.now()));
    }

    private static String reason(String what, ResultInformation r) {
        return r == null ? what : what + ": " + r.code() + "/" + r.subCode() + " " + r.message();
    }
}
