package io.callstream.command.commands;

import io.callstream.command.replay.ReplayProperties;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.Commands;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.List;

/**
 * Publishes command results through the transactional outbox {@code command_results_outbox}:
 * each result is written in the caller's transaction, the one that records the state change it
 * reports, and {@link OutboxRelay} sends it to {@code calls.command-results} once that
 * transaction has committed. So a result is never seen before its state is in SQL, and never
 * lost when the process dies after the commit.
 */
@Component
public class ResultPublisher {

    private final JdbcTemplate jdbc;
    private final OutboxRelay relay;

    private final boolean replaying;

    ResultPublisher(JdbcTemplate jdbc, OutboxRelay relay, ReplayProperties replay) {
        this.replaying = replay.replaying();
        this.jdbc = jdbc;
        this.relay = relay;
    }

    /**
     * Adds {@code results} to the outbox, in order, and wakes the relay when the transaction
     * commits. In a replay it does nothing: the results are on the topic already.
     *
     * @throws IllegalStateException outside a transaction: the result would not be tied to its state change
     */
    public void publish(List<CommandResult> results) {
        if (results.isEmpty() || replaying) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("command results are published in the transaction of the state change they report");
        }
        jdbc.batchUpdate("insert into command_results_outbox (command_id, payload) values (?, ?)",
                results.stream().map(r -> new Object[] {r.commandId(), Commands.toJson(r)}).toList());
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wake();
            }
        });
    }
}
