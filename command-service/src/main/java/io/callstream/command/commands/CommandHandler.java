package io.callstream.command.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.command.acs.AcsCallConnection;
import io.callstream.command.acs.AcsGateway;
import io.callstream.command.acs.AcsRequestException;
import io.callstream.command.calls.CallRepository;
import io.callstream.events.Topics;
import io.callstream.events.acs.CallIds;
import io.callstream.events.commands.CallCommand;
import io.callstream.events.commands.CallCommand.AnswerCall;
import io.callstream.events.commands.CallCommand.CreateCall;
import io.callstream.events.commands.CallCommand.HangUp;
import io.callstream.events.commands.CallTarget;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.Commands;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Executes the commands on {@code calls.commands}, one record at a time: validates it against
 * its schema, claims its commandId in PostgreSQL, calls ACS, records the outcome and publishes
 * {@code accepted} or {@code rejected} on {@code calls.command-results}. A bad record is rejected
 * with its reason and the consumer carries on. A commandId already claimed is not sent to ACS
 * again.
 */
@Component
class CommandHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AcsGateway acs;
    private final CommandLifecycle lifecycle;
    private final CallRepository calls;
    private final ResultPublisher results;
    private final TransactionTemplate tx;

    CommandHandler(AcsGateway acs, CommandLifecycle lifecycle, CallRepository calls, ResultPublisher results, TransactionTemplate tx) {
        this.acs = acs;
        this.lifecycle = lifecycle;
        this.calls = calls;
        this.results = results;
        this.tx = tx;
    }

    @KafkaListener(topics = Topics.CALLS_COMMANDS, containerFactory = "commandListenerFactory")
    void onCommand(ConsumerRecord<String, byte[]> record) {
        String payload = jsonOrNull(record.value());
        switch (Commands.parse(record.value())) {
            case Commands.Invalid invalid -> {
                String commandId = invalid.commandId() != null ? invalid.commandId()
                        : "kafka:" + record.topic() + "-" + record.partition() + "@" + record.offset();
                log.warn("rejected command {} at {}-{}@{}: {}", commandId, record.topic(), record.partition(), record.offset(), invalid.reason());
                CommandResult rejected = tx.execute(s -> lifecycle.reject(commandId, invalid.commandType(), invalid.reason(), "InvalidCommand", payload));
                results.publish(List.of(rejected));
            }
            case Commands.Valid valid -> execute(valid.command(), payload);
        }
    }

    private void execute(CallCommand command, String payload) {
        String type = Commands.typeOf(command);
        String operationContext = switch (command) {
            case CreateCall c -> c.operationContext();
            case AnswerCall c -> c.operationContext();
            case HangUp c -> null;
        };
        String existingLeg = command instanceof HangUp h ? h.callConnectionId() : null;
        Boolean claimed = tx.execute(s -> lifecycle.claim(command.commandId(), type, operationContext, existingLeg, payload));
        if (!Boolean.TRUE.equals(claimed)) {
            log.info("command {} was already received; not sent to ACS again", command.commandId());
            return;
        }
        CommandResult result;
        try {
            result = switch (command) {
                case CreateCall c -> {
                    AcsCallConnection leg = acs.createCall(c);
                    yield tx.execute(s -> {
                        calls.recordLeg(leg.callConnectionId(), leg.serverCallId(), leg.correlationId(), "outbound",
                                c.sourceCallerIdNumber() == null ? null : "4:" + c.sourceCallerIdNumber(),
                                c.targets().stream().map(CallTarget::rawId).toList());
                        return lifecycle.accept(c.commandId(), type, ids(leg));
                    });
                }
                case AnswerCall c -> {
                    AcsCallConnection leg = acs.answerCall(c);
                    yield tx.execute(s -> {
                        calls.recordLeg(leg.callConnectionId(), leg.serverCallId(), leg.correlationId(), "inbound", null, null);
                        return lifecycle.accept(c.commandId(), type, ids(leg));
                    });
                }
                case HangUp c -> {
                    acs.hangUp(c);
                    yield tx.execute(s -> lifecycle.accept(c.commandId(), type, new CallIds(c.callConnectionId(), null, null)));
                }
            };
            log.info("command {} ({}) accepted by ACS: callConnectionId={}", command.commandId(), type, result.callConnectionId());
        } catch (AcsRequestException e) {
            log.warn("command {} ({}) refused by ACS: {} {}", command.commandId(), type, e.code(), e.getMessage());
            String reason = "ACS answered " + (e.status() == 0 ? "nothing" : e.status()) + ": " + e.getMessage();
            result = tx.execute(s -> lifecycle.reject(command.commandId(), type, reason, e.code(), payload));
        }
        results.publish(List.of(result));
    }

    private static CallIds ids(AcsCallConnection leg) {
        return new CallIds(leg.callConnectionId(), leg.serverCallId(), leg.correlationId());
    }

    /** The record as JSON text for the payload column, or {@code null} when it is not JSON. */
    private static String jsonOrNull(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JSON.readTree(value);
            return new String(value, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
