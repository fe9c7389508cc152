package io.callstream.command.commands;

import io.callstream.events.commands.CommandResult.Status;
import io.callstream.events.commands.CommandResult;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code commands}: one row per commandId with its lifecycle. Status moves forward only:
 * received → accepted → completed|failed, or received → rejected; an event that completes a
 * command before its REST response was recorded leaves it completed.
 */
@Repository
class CommandRepository {

    /** A command row as the lifecycle needs it. */
    record Row(String commandId, String commandType, String status, String callConnectionId) {
    }

    /** The columns of a {@link Row}. */
    private static final String ROW = "select command_id, command_type, status, call_connection_id from commands ";

    private final JdbcClient jdbc;

    CommandRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims a commandId before ACS is called. A command on an existing leg names it here, so
     * that the leg's events find the command even before ACS answers.
     *
     * @return the claim: new, or the existing row's status; and when it was first claimed
     */
    Claim claim(String commandId, String commandType, String operationContext, String callConnectionId, String payload) {
        var inserted = jdbc.sql("""
                        insert into commands (command_id, command_type, status, operation_context, call_connection_id, payload)
                        values (?, ?, 'received', ?, ?, cast(? as jsonb)) on conflict (command_id) do nothing
                        returning received_at""")
                .params(commandId, commandType, operationContext, callConnectionId, payload)
                .query((rs, n) -> rs.getTimestamp(1).toInstant()).optional();
        if (inserted.isPresent()) {
            return new Claim(true, "received", inserted.get());
        }
        return jdbc.sql("select status, received_at from commands where command_id = ?").param(commandId)
                .query((rs, n) -> new Claim(false, rs.getString(1), rs.getTimestamp(2).toInstant())).single();
    }

    /**
     * A claim on a commandId.
     *
     * @param isNew the first time the id is seen
     * @param status the command's status now
     * @param claimedAt when it was first claimed: the Repeatability-First-Sent of its ACS requests
     */
    record Claim(boolean isNew, String status, java.time.Instant claimedAt) {

        /** Claimed before, but ACS's answer was never recorded (a crash in between): send it again. */
        boolean interrupted() {
            return !isNew && "received".equals(status);
        }
    }

    /**
     * Ends a command that got no acceptance from ACS: {@code rejected} (refused before or by ACS) or
     * {@code failed} (ACS throttled, failed or stayed silent through every retry). Inserts the row if
     * the command was never claimed.
     *
     * @return false when the command had already ended (its events ended it while ACS's answer was awaited)
     */
    boolean refuse(String commandId, String commandType, CommandResult.Status status, String reason, String errorCode, String payload) {
        return jdbc.sql("""
                        insert into commands (command_id, command_type, status, reason, error_code, payload, ended_at)
                        values (?, ?, ?, ?, ?, cast(? as jsonb), now())
                        on conflict (command_id) do update set status = excluded.status, reason = excluded.reason,
                            error_code = excluded.error_code, ended_at = now(), updated_at = now()
                        where commands.status = 'received'""")
                .params(commandId, commandType, status.wireName(), reason, errorCode, payload).update() == 1;
    }

    /** ACS answered 2xx: the ids it returned. A command already completed keeps its status. */
    void accept(String commandId, String callConnectionId, String serverCallId, String correlationId, String invitationId) {
        jdbc.sql("""
                        update commands set status = case when status = 'received' then 'accepted' else status end,
                            accepted_at = now(), call_connection_id = coalesce(call_connection_id, ?),
                            server_call_id = coalesce(server_call_id, ?), correlation_id = coalesce(correlation_id, ?),
                            invitation_id = coalesce(invitation_id, ?), updated_at = now()
                        where command_id = ?""")
                .params(callConnectionId, serverCallId, correlationId, invitationId, commandId).update();
    }

    /** The invitationId an AddParticipant command got, if it was accepted. */
    Optional<String> invitationOf(String addParticipantCommandId) {
        return jdbc.sql("select invitation_id from commands where command_id = ? and command_type = 'AddParticipant'")
                .param(addParticipantCommandId).query(String.class).optional();
    }

    /** The AddParticipant commands that got one of {@code invitationIds}, by invitationId; the ids no command got are left out. */
    Map<String, Row> findByInvitations(Collection<String> invitationIds) {
        Map<String, Row> rows = new HashMap<>();
        if (!invitationIds.isEmpty()) {
            jdbc.sql("select command_id, command_type, status, call_connection_id, invitation_id from commands "
                            + "where invitation_id = any(?) and command_type = 'AddParticipant'")
                    .param(invitationIds.toArray(String[]::new))
                    .query((rs, n) -> rows.put(rs.getString(5), new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))))
                    .list();
        }
        return rows;
    }

    /** Who called, for a ringing call: the IncomingCall event's {@code from} raw id. */
    Optional<String> callerOf(String incomingCallContext) {
        return jdbc.sql("""
                        select payload -> 'from' ->> 'rawId' from call_events
                        where event_type = 'Microsoft.Communication.IncomingCall' and payload ->> 'incomingCallContext' = ?
                        limit 1""")
                .param(incomingCallContext).query(String.class).optional();
    }

    /**
     * Ends a command that is not ended yet.
     *
     * @return {@code true} when this call ended it
     */
    boolean end(String commandId, Status status, String reason, String errorCode, Integer subCode,
                String callConnectionId, String serverCallId, String correlationId) {
        return jdbc.sql("""
                        update commands set status = ?, reason = ?, error_code = ?, sub_code = ?, ended_at = now(),
                            call_connection_id = coalesce(call_connection_id, ?), server_call_id = coalesce(server_call_id, ?),
                            correlation_id = coalesce(correlation_id, ?), updated_at = now()
                        where command_id = ? and status in ('received', 'accepted')""")
                .params(status.wireName(), reason, errorCode, subCode, callConnectionId, serverCallId, correlationId, commandId)
                .update() == 1;
    }

    /** The commands named by some events' operationContexts, by commandId; the ids no command has are left out. */
    Map<String, Row> findAll(Collection<String> commandIds) {
        Map<String, Row> rows = new HashMap<>();
        if (!commandIds.isEmpty()) {
            jdbc.sql(ROW + "where command_id = any(?)").param(commandIds.toArray(String[]::new)).query(Row.class).list()
                    .forEach(row -> rows.put(row.commandId(), row));
        }
        return rows;
    }

    /** HangUp commands that still wait for the CallDisconnected of one of {@code callConnectionIds}, by leg. */
    Map<String, List<Row>> pendingHangUps(Collection<String> callConnectionIds) {
        Map<String, List<Row>> rows = new HashMap<>();
        if (!callConnectionIds.isEmpty()) {
            jdbc.sql(ROW + "where command_type = 'HangUp' and call_connection_id = any(?) and status in ('received', 'accepted')")
                    .param(callConnectionIds.toArray(String[]::new)).query(Row.class).list()
                    .forEach(row -> rows.computeIfAbsent(row.callConnectionId(), leg -> new ArrayList<>()).add(row));
        }
        return rows;
    }

}
