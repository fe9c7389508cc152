package io.callstream.command.commands;

import io.callstream.command.history.ReceivedEvent;
import io.callstream.events.acs.AcsEvent;
import io.callstream.events.acs.AcsEvent.AnswerFailed;
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
import java.util.List;
import java.util.Optional;

/**
 * Moves commands through their lifecycle and says which result each step publishes. Events find
 * their command by {@code operationContext} (= commandId), or, for HangUp, which sends none, by
 * the leg's CallDisconnected; neither depends on whether the REST response was recorded first.
 */
@Component
public class CommandLifecycle {

    private final CommandRepository commands;

    CommandLifecycle(CommandRepository commands) {
        this.commands = commands;
    }

    /** See {@link CommandRepository#claim}. */
    public boolean claim(String commandId, String commandType, String operationContext, String callConnectionId, String payload) {
        return commands.claim(commandId, commandType, operationContext, callConnectionId, payload);
    }

    /** Records a rejection and returns its result. */
    public CommandResult reject(String commandId, String commandType, String reason, String errorCode, String payload) {
        commands.reject(commandId, commandType, reason, errorCode, payload);
        return new CommandResult(commandId, commandType, Status.REJECTED, reason, null, null, null, errorCode, null, Instant.now());
    }

    /** Records an acceptance and returns its result. */
    public CommandResult accept(String commandId, String commandType, CallIds ids) {
        commands.accept(commandId, ids.callConnectionId(), ids.serverCallId(), ids.correlationId());
        return new CommandResult(commandId, commandType, Status.ACCEPTED, null, ids.callConnectionId(), ids.serverCallId(),
                ids.correlationId(), null, null, Instant.now());
    }

    /**
     * The commands one event ends, ended.
     *
     * @return the completed or failed results to publish (empty when the event ends none)
     */
    public List<CommandResult> correlate(ReceivedEvent received) {
        List<CommandResult> results = new ArrayList<>();
        AcsEvent event = received.event();
        String context = received.operationContext();
        if (context != null) {
            commands.find(context).flatMap(row -> outcome(row, event)).ifPresent(o -> end(o, event.ids()).ifPresent(results::add));
        }
        if (event instanceof CallDisconnected disconnected && disconnected.ids().callConnectionId() != null) {
            for (CommandRepository.Row hangUp : commands.pendingHangUps(disconnected.ids().callConnectionId())) {
                end(new Outcome(hangUp, Status.COMPLETED, null, disconnected.resultInformation()), event.ids()).ifPresent(results::add);
            }
        }
        return results;
    }

    private record Outcome(CommandRepository.Row row, Status status, String reason, ResultInformation result) {
    }

    /** What an event means for the command that caused it, if anything. */
    private static Optional<Outcome> outcome(CommandRepository.Row row, AcsEvent event) {
        String type = row.commandType() == null ? "" : row.commandType();
        return switch (type) {
            case "CreateCall" -> switch (event) {
                case CallConnected e -> Optional.of(new Outcome(row, Status.COMPLETED, null, e.resultInformation()));
                case CreateCallFailed e -> Optional.of(new Outcome(row, Status.FAILED, reason("CreateCallFailed", e.resultInformation()), e.resultInformation()));
                case CallDisconnected e -> Optional.of(new Outcome(row, Status.FAILED, reason("CallDisconnected before CallConnected", e.resultInformation()), e.resultInformation()));
                default -> Optional.empty();
            };
            case "AnswerCall" -> switch (event) {
                case CallConnected e -> Optional.of(new Outcome(row, Status.COMPLETED, null, e.resultInformation()));
                case AnswerFailed e -> Optional.of(new Outcome(row, Status.FAILED, reason("AnswerFailed", e.resultInformation()), e.resultInformation()));
                default -> Optional.empty();
            };
            default -> Optional.empty();
        };
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
                ids.callConnectionId(), ids.serverCallId(), ids.correlationId(), code, subCode, Instant.now()));
    }

    private static String reason(String what, ResultInformation r) {
        return r == null ? what : what + ": " + r.code() + "/" + r.subCode() + " " + r.message();
    }
}
