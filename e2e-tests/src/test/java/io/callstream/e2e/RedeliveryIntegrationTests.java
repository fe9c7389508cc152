package io.callstream.e2e;

import io.callstream.command.acs.AcsGateway;
import io.callstream.command.acs.Repeatability;
import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import io.callstream.events.commands.CallCommand.RejectCall;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.CommandResult.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command redelivered after a crash between its ACS call and the record of ACS's answer is
 * sent again with the same Repeatability-Request-ID and First-Sent, so ACS answers it without
 * acting twice; a command already handled is not sent again.
 */
@ExtendWith(StackExtension.class)
class RedeliveryIntegrationTests {

    @Test
    void aCommandInterruptedAfterItsAcsCallIsReplayedNotRepeated(StackClient client, LocalStack stack) throws Exception {
        CallScenarios scenarios = new CallScenarios(client);
        String context = scenarios.ring("+14255550181");
        String commandId = StackClient.newCommandId("reject");
        Instant claimedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        // The first attempt: claimed, then ACS rejected the call, then the process died before recording the answer.
        try (Connection db = client.database();
             PreparedStatement claim = db.prepareStatement(
                     "insert into commands (command_id, command_type, status, received_at) values (?, 'RejectCall', 'received', ?)")) {
            claim.setString(1, commandId);
            claim.setTimestamp(2, Timestamp.from(claimedAt));
            claim.executeUpdate();
        }
        AcsGateway acs = stack.commandService().getBean(AcsGateway.class);
        RejectCall reject = new RejectCall(commandId, context, "busy");
        Repeatability.of(commandId, claimedAt).around(() -> {
            acs.rejectCall(reject);
            return null;
        });

        // The redelivery: ACS would refuse a second reject of the same call; the repeated request is answered from the first.
        String json = """
                {"type":"RejectCall","commandId":"%s","incomingCallContext":"%s","callRejectReason":"busy"}""".formatted(commandId, context);
        client.publishCommand(commandId, json);
        CommandResult completed = scenarios.awaitStatus(commandId, Status.COMPLETED);

        // A later redelivery of the handled command is not sent at all.
        client.publishCommand(commandId, json);
        stack.awaitConsumed();

        assertThat(completed.commandType()).isEqualTo("RejectCall");
        assertThat(client.results(commandId)).extracting(CommandResult::status).containsExactly(Status.ACCEPTED, Status.COMPLETED);
    }
}
