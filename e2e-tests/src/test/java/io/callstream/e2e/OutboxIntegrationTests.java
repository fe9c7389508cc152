package io.callstream.e2e;

import io.callstream.e2e.support.StackExtension;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.CommandResult.Status;
import io.callstream.events.commands.Commands;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;

import static io.callstream.e2e.support.Sql.one;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Command results go through the transactional outbox: a result is on {@code calls.command-results}
 * only once the state change it reports is committed, and a result left in the outbox (a crash
 * after the commit, before the send) is sent by the relay.
 */
@ExtendWith(StackExtension.class)
class OutboxIntegrationTests {

    @Test
    void aResultIsPublishedOnlyAfterItsStateIsInSql(StackClient client) throws Exception {
        CallScenarios scenarios = new CallScenarios(client);
        String commandId = scenarios.publish("create", """
                {"type":"CreateCall","commandId":"%s","targets":[{"phoneNumber":"+14255550172"}],"sourceCallerIdNumber":"+14255550100"}""");

        scenarios.awaitStatus(commandId, Status.ACCEPTED);
        String whenAccepted = one(client, "select status from commands where command_id = ?", commandId);
        scenarios.awaitStatus(commandId, Status.COMPLETED);
        String whenCompleted = one(client, "select status from commands where command_id = ?", commandId);

        // Read at once, without waiting: SQL already holds what each result reports.
        assertThat(whenAccepted).isIn("accepted", "completed");
        assertThat(whenCompleted).isEqualTo("completed");
        assertThat(one(client, "select count(*)::text from command_results_outbox where command_id = ?", commandId)).isEqualTo("0");
    }

    @Test
    void aResultLeftInTheOutboxIsSentByTheRelay(StackClient client) throws Exception {
        String commandId = StackClient.newCommandId("outbox");
        CommandResult left = new CommandResult(commandId, "RejectCall", Status.COMPLETED, null, null, null, null, null, null, null,
                null, null, Instant.now());
        // As a crashed instance leaves it: committed with its state change, never sent.
        try (Connection db = client.database();
             PreparedStatement insert = db.prepareStatement("insert into command_results_outbox (command_id, payload) values (?, ?)")) {
            insert.setString(1, commandId);
            insert.setBytes(2, Commands.toJson(left));
            insert.executeUpdate();
        }

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !client.results(commandId).isEmpty());

        assertThat(client.results(commandId)).extracting(CommandResult::status).containsExactly(Status.COMPLETED);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                one(client, "select count(*)::text from command_results_outbox where command_id = ?", commandId).equals("0"));
    }
}
