package io.callstream.command.commands;

import io.callstream.command.acs.AcsCallSnapshot;
import io.callstream.command.acs.AcsGateway;
import io.callstream.command.acs.AcsRequestException;
import io.callstream.command.acs.Repeatability;
import io.callstream.events.Topics;
import io.callstream.events.commands.CallCommand;
import io.callstream.events.commands.CallCommand.AddParticipant;
import io.callstream.events.commands.CallCommand.AnswerCall;
import io.callstream.events.commands.CallCommand.CancelAddParticipant;
import io.callstream.events.commands.CallCommand.ConnectCall;
import io.callstream.events.commands.CallCommand.MoveParticipants;
import io.callstream.events.commands.CallCommand.SyncCall;
import io.callstream.events.commands.CallCommand.Play;
import io.callstream.events.commands.CallCommand.Recognize;
import io.callstream.events.commands.CallCommand.StartRecording;
import io.callstream.events.commands.CallCommand.PauseRecording;
import io.callstream.events.commands.CallCommand.ResumeRecording;
import io.callstream.events.commands.CallCommand.StopRecording;
import io.callstream.events.commands.CallCommand.StartMediaStreaming;
import io.callstream.events.commands.CallCommand.StopMediaStreaming;
import io.callstream.events.commands.CallCommand.StartTranscription;
import io.callstream.events.commands.CallCommand.UpdateTranscription;
import io.callstream.events.commands.CallCommand.StopTranscription;
import io.callstream.events.commands.CallCommand.CancelAllMediaOperations;
import io.callstream.events.commands.CallCommand.MuteParticipant;
import io.callstream.events.commands.CallCommand.Hold;
import io.callstream.events.commands.CallCommand.Unhold;
import io.callstream.events.commands.CallCommand.SendDtmfTones;
import io.callstream.events.commands.CallCommand.StartContinuousDtmfRecognition;
import io.callstream.events.commands.CallCommand.StopContinuousDtmfRecognition;
import io.callstream.events.commands.CallCommand.TransferCall;
import io.callstream.events.commands.CallCommand.RedirectCall;
import io.callstream.events.commands.CallCommand.RejectCall;
import io.callstream.events.commands.CallCommand.RemoveParticipant;
import io.callstream.events.commands.CallCommand.CreateCall;
import io.callstream.events.commands.CallCommand.HangUp;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.Commands;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.callstream.command.system.CommandServiceProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Executes the commands on {@code calls.commands}, one record at a time: validates it against
 * its schema, claims its commandId in PostgreSQL, calls ACS, records the outcome and publishes
 * {@code accepted}, {@code rejected} or {@code failed} on {@code calls.command-results}
 * ({@code failed} when ACS throttled, failed or stayed silent through every retry). A bad record is rejected
 * with its reason, copied to {@code calls.commands.DLT} with the reason in its headers, and the
 * consumer carries on. A commandId already claimed is not sent to ACS again.
 */
@Component
public class CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);
    /** The statuses azure-core's retry policy retries: a refusal with one of them outlasted every retry. */
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

    private final AcsGateway acs;
    private final CommandLifecycle lifecycle;
    private final ResultPublisher results;
    private final DeadLetters deadLetters;
    private final TransactionTemplate tx;
    private final CommandServiceProperties.Retry retry;
    private final Acceptances acceptances;

    CommandHandler(AcsGateway acs, CommandLifecycle lifecycle,
                   ResultPublisher results, DeadLetters deadLetters, TransactionTemplate tx, CommandServiceProperties properties,
                   Acceptances acceptances) {
        this.acceptances = acceptances;
        this.retry = properties.acs().retry();
        this.acs = acs;
        this.lifecycle = lifecycle;
        this.deadLetters = deadLetters;
        this.results = results;
        this.tx = tx;
    }

    @KafkaListener(topics = Topics.CALLS_COMMANDS, containerFactory = "commandListenerFactory")
    void onCommand(ConsumerRecord<String, byte[]> record) {
        Commands.Parsed parsed = Commands.parse(record.value());
        String payload = payloadOf(parsed, record);
        switch (parsed) {
            case Commands.Invalid invalid -> {
                String commandId = commandIdOf(invalid, record);
                log.warn("rejected command {} at {}-{}@{}: {}", commandId, record.topic(), record.partition(), record.offset(), invalid.reason());
                recorded(s -> lifecycle.reject(commandId, invalid.commandType(), invalid.reason(), "InvalidCommand", payload)
                        .stream().toList());
                deadLetters.send(record, invalid.reason());
            }
            case Commands.Valid valid -> execute(valid.command(), payload);
        }
    }

    /** The record as it is stored ({@code jsonb}): its text when it is JSON, which the parse already knows; else null. */
    private static String payloadOf(Commands.Parsed parsed, ConsumerRecord<String, byte[]> record) {
        return parsed instanceof Commands.Invalid invalid && !invalid.json() ? null : new String(record.value(), StandardCharsets.UTF_8);
    }

    /** An invalid record's commandId, or its place in the log when it has none. */
    private static String commandIdOf(Commands.Invalid invalid, ConsumerRecord<String, byte[]> record) {
        return invalid.commandId() != null ? invalid.commandId()
                : "kafka:" + record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private void execute(CallCommand command, String payload) {
        String type = Commands.typeOf(command);
        CommandRepository.Claim claim = tx.execute(s -> claim(command, type, payload));
        if (!claim.isNew() && !claim.interrupted()) {
            log.info("command {} was already handled ({}); not sent to ACS again", command.commandId(), claim.status());
            return;
        }
        if (claim.interrupted()) {
            log.warn("command {} was claimed at {} but ACS's answer was never recorded; sending it again with the same "
                    + "Repeatability-Request-ID, so ACS does not act twice", command.commandId(), claim.claimedAt());
        }
        List<CommandResult> published;
        try {
            published = Repeatability.of(command.commandId(), claim.claimedAt()).around(() -> callAcs(command, type));
            log.info("command {} ({}) accepted by ACS: callConnectionId={}", command.commandId(), type, published.getFirst().callConnectionId());
        } catch (AcsRequestException e) {
            published = recorded(s -> refused(command.commandId(), type, e, payload).stream().toList());
        } catch (CommandRefused e) {
            log.warn("command {} ({}) refused before ACS: {}", command.commandId(), type, e.getMessage());
            published = recorded(s -> lifecycle.reject(command.commandId(), type, e.getMessage(), "CommandRefused", payload).stream().toList());
        }
        log.debug("command {} results: {}", command.commandId(), published);
    }

    /**
     * Runs {@code work} in one transaction together with the outbox rows of the results it
     * returns, so that a result is published if and only if the state change it reports committed.
     */
    private List<CommandResult> recorded(TransactionCallback<List<CommandResult>> work) {
        return tx.execute(s -> {
            List<CommandResult> produced = work.doInTransaction(s);
            results.publish(produced);
            return produced;
        });
    }

    /** Claims the command's id, with the operationContext its events will carry and the leg it acts on. */
    private CommandRepository.Claim claim(CallCommand command, String type, String payload) {
        String operationContext = switch (command) {            case CreateCall c -> c.operationContext();
            case AnswerCall c -> c.operationContext();
            case AddParticipant c -> c.operationContext();
            case RemoveParticipant c -> c.operationContext();
            case ConnectCall c -> c.operationContext();
            case TransferCall c -> c.operationContext();
            case MoveParticipants c -> c.operationContext();
            case SyncCall c -> null;
            case Play c -> c.operationContext();
            case CancelAllMediaOperations c -> null;
            case MuteParticipant c -> c.operationContext();
            case Hold c -> c.operationContext();
            case Unhold c -> c.operationContext();
            case SendDtmfTones c -> c.operationContext();
            case StartContinuousDtmfRecognition c -> c.operationContext();
            case StopContinuousDtmfRecognition c -> c.operationContext();
            case Recognize c -> c.operationContext();
            case StartRecording c -> null;
            case PauseRecording c -> null;
            case ResumeRecording c -> null;
            case StopRecording c -> null;
            case StartMediaStreaming c -> c.operationContext();
            case StopMediaStreaming c -> c.operationContext();
            case StartTranscription c -> c.operationContext();
            case UpdateTranscription c -> c.operationContext();
            case StopTranscription c -> c.operationContext();
            case RejectCall c -> null;
            case RedirectCall c -> null;
            case CancelAddParticipant c -> null;
            case HangUp c -> null;
        };
        String existingLeg = switch (command) {
            case HangUp c -> c.callConnectionId();
            case AddParticipant c -> c.callConnectionId();
            case CancelAddParticipant c -> c.callConnectionId();
            case RemoveParticipant c -> c.callConnectionId();
            case TransferCall c -> c.callConnectionId();
            case MoveParticipants c -> c.callConnectionId();
            case SyncCall c -> c.callConnectionId();
            case Play c -> c.callConnectionId();
            case CancelAllMediaOperations c -> c.callConnectionId();
            case MuteParticipant c -> c.callConnectionId();
            case Hold c -> c.callConnectionId();
            case Unhold c -> c.callConnectionId();
            case SendDtmfTones c -> c.callConnectionId();
            case StartContinuousDtmfRecognition c -> c.callConnectionId();
            case StopContinuousDtmfRecognition c -> c.callConnectionId();
            case Recognize c -> c.callConnectionId();
            case StartRecording c -> null;
            case PauseRecording c -> null;
            case ResumeRecording c -> null;
            case StopRecording c -> null;
            case StartMediaStreaming c -> c.callConnectionId();
            case StopMediaStreaming c -> c.callConnectionId();
            case StartTranscription c -> c.callConnectionId();
            case UpdateTranscription c -> c.callConnectionId();
            case StopTranscription c -> c.callConnectionId();
            case ConnectCall c -> null;
            case CreateCall c -> null;
            case AnswerCall c -> null;
            case RejectCall c -> null;
            case RedirectCall c -> null;
        };
        return lifecycle.claim(command.commandId(), type, operationContext, existingLeg, payload);
    }

    /**
     * Replay ({@code make replay}): records a command record as the live handler did when it
     * consumed it (its claim, or its rejection when invalid), without calling ACS or publishing.
     *
     * @return the valid command, for {@link #replayResult}
     */
    public Optional<CallCommand> replayCommand(ConsumerRecord<String, byte[]> record) {
        Commands.Parsed parsed = Commands.parse(record.value());
        String payload = payloadOf(parsed, record);
        return switch (parsed) {
            case Commands.Invalid invalid -> {
                lifecycle.reject(commandIdOf(invalid, record), invalid.commandType(), invalid.reason(), "InvalidCommand", payload);
                yield Optional.empty();
            }
            case Commands.Valid valid -> {
                claim(valid.command(), Commands.typeOf(valid.command()), payload);
                yield Optional.of(valid.command());
            }
        };
    }

    /**
     * Replay: records what ACS answered to {@code command}, as its {@code accepted},
     * {@code rejected} or {@code failed} result says. {@code completed} results are left to the
     * acceptance and the events, which produce them again. A SyncCall's reconciliation is not in
     * the log and is not replayed.
     */
    public void replayResult(CallCommand command, CommandResult result) {
        String type = Commands.typeOf(command);
        switch (result.status()) {
            case ACCEPTED -> acceptances.record(command, type, AcsAnswer.fromAccepted(result), result.time());
            case REJECTED -> lifecycle.reject(command.commandId(), type, result.reason(), result.errorCode(), null);
            case FAILED -> lifecycle.failUnanswered(command.commandId(), type, result.reason(), result.errorCode(), null);
            case COMPLETED -> {
                // Produced again by the acceptance (commands that await no event) or by the replayed events.
            }
        }
    }

    /**
     * Records an ACS refusal. A retryable answer (408, 429, 5xx, or none) that outlasted every retry
     * ends the command {@code failed}; any other refusal ends it {@code rejected}.
     *
     * @return the result; empty when the command's events ended it meanwhile
     */
    private Optional<CommandResult> refused(String commandId, String type, AcsRequestException e, String payload) {
        int attempts = retry.maxRetries() + 1;
        if (e.status() == 0) {
            log.warn("command {} ({}) got no answer from ACS in {} attempts: {}", commandId, type, attempts, e.getMessage());
            return lifecycle.failUnanswered(commandId, type, "ACS did not answer in " + attempts + " attempts, so it may or may not "
                    + "have acted (" + e.getMessage() + ")", e.code(), payload);
        }
        if (RETRYABLE.contains(e.status())) {
            log.warn("command {} ({}) failed at ACS after {} attempts: {} {}", commandId, type, attempts, e.status(), e.getMessage());
            return lifecycle.failUnanswered(commandId, type, "ACS answered " + e.status() + " to all " + attempts + " attempts: "
                    + e.getMessage(), e.code(), payload);
        }
        log.warn("command {} ({}) refused by ACS: {} {}", commandId, type, e.code(), e.getMessage());
        return lifecycle.reject(commandId, type, "ACS answered " + e.status() + ": " + e.getMessage(), e.code(), payload);
    }

    /**
     * Calls ACS for one claimed command and records what it answered, in one transaction with
     * the results ({@link Acceptances}, which a replay applies the same way).
     *
     * @return the results to publish
     * @throws AcsRequestException when ACS refuses
     * @throws CommandRefused when callstream refuses before calling ACS
     */
    private List<CommandResult> callAcs(CallCommand command, String type) {
        AcsAnswer answer = send(command);
        return recorded(s -> acceptances.record(command, type, answer, null));
    }

    /** The ACS request of one command, and what ACS answered that the log must keep. */
    private AcsAnswer send(CallCommand command) {
        return switch (command) {
            case CreateCall c -> AcsAnswer.of(acs.createCall(c));
            case AnswerCall c -> AcsAnswer.of(acs.answerCall(c));
            case ConnectCall c -> AcsAnswer.of(acs.connectCall(c));
            case RejectCall c -> {
                acs.rejectCall(c);
                yield AcsAnswer.NONE;
            }
            case RedirectCall c -> {
                String caller = tx.execute(s -> lifecycle.callerOf(c.incomingCallContext()).orElse(null));
                if (c.target().isPhoneNumber() && caller != null && !caller.startsWith("4:")) {
                    throw new CommandRefused("a VoIP call (from " + caller + ") cannot be redirected to a phone number; "
                            + "the Call Automation overview lists this as unsupported");
                }
                acs.redirectCall(c);
                yield AcsAnswer.NONE;
            }
            case AddParticipant c -> AcsAnswer.invitation(acs.addParticipant(c));
            case CancelAddParticipant c -> {
                String invitationId = c.invitationId() != null ? c.invitationId()
                        : tx.execute(s -> lifecycle.invitationOf(c.addParticipantCommandId()).orElse(null));
                if (invitationId == null) {
                    throw new CommandRefused("AddParticipant command " + c.addParticipantCommandId()
                            + " has no invitationId: it is unknown, or ACS has not accepted it");
                }
                acs.cancelAddParticipant(c.callConnectionId(), invitationId, c.commandId(), c.operationCallbackUri());
                yield AcsAnswer.invitation(invitationId);
            }
            case RemoveParticipant c -> {
                acs.removeParticipant(c);
                yield AcsAnswer.NONE;
            }
            case TransferCall c -> {
                acs.transferCall(c);
                yield AcsAnswer.NONE;
            }
            case MoveParticipants c -> {
                acs.moveParticipants(c);
                yield AcsAnswer.NONE;
            }
            case SyncCall c -> {
                try {
                    yield AcsAnswer.of(acs.getCall(c.callConnectionId()));
                } catch (AcsRequestException e) {
                    if (e.status() != 404) {
                        throw e;
                    }
                    yield AcsAnswer.of(new AcsCallSnapshot(c.callConnectionId(), null, null, "disconnected", List.of()));
                }
            }
            case Play c -> {
                acs.play(c);
                yield AcsAnswer.NONE;
            }
            case CancelAllMediaOperations c -> {
                acs.cancelAllMediaOperations(c.callConnectionId());
                yield AcsAnswer.NONE;
            }
            case MuteParticipant c -> {
                acs.mute(c);
                yield AcsAnswer.NONE;
            }
            case Hold c -> {
                acs.hold(c);
                yield AcsAnswer.NONE;
            }
            case Unhold c -> {
                acs.unhold(c);
                yield AcsAnswer.NONE;
            }
            case SendDtmfTones c -> {
                acs.sendDtmfTones(c);
                yield AcsAnswer.NONE;
            }
            case StartContinuousDtmfRecognition c -> {
                acs.startContinuousDtmfRecognition(c);
                yield AcsAnswer.NONE;
            }
            case StopContinuousDtmfRecognition c -> {
                acs.stopContinuousDtmfRecognition(c);
                yield AcsAnswer.NONE;
            }
            case Recognize c -> {
                acs.recognize(c);
                yield AcsAnswer.NONE;
            }
            case StartRecording c -> AcsAnswer.recording(acs.startRecording(c).recordingId());
            case PauseRecording c -> {
                acs.pauseRecording(c.recordingId());
                yield AcsAnswer.NONE;
            }
            case ResumeRecording c -> {
                acs.resumeRecording(c.recordingId());
                yield AcsAnswer.NONE;
            }
            case StopRecording c -> {
                acs.stopRecording(c.recordingId());
                yield AcsAnswer.NONE;
            }
            case StartMediaStreaming c -> {
                acs.startMediaStreaming(c);
                yield AcsAnswer.NONE;
            }
            case StopMediaStreaming c -> {
                acs.stopMediaStreaming(c);
                yield AcsAnswer.NONE;
            }
            case StartTranscription c -> {
                acs.startTranscription(c);
                yield AcsAnswer.NONE;
            }
            case UpdateTranscription c -> {
                acs.updateTranscription(c);
                yield AcsAnswer.NONE;
            }
            case StopTranscription c -> {
                acs.stopTranscription(c);
                yield AcsAnswer.NONE;
            }
            case HangUp c -> {
                acs.hangUp(c);
                yield AcsAnswer.NONE;
            }
        };
    }

    /** A valid command that callstream refuses before calling ACS, with the reason. */
    private static final class CommandRefused extends RuntimeException {
        CommandRefused(String reason) {
            super(reason);
        }
    }
}
