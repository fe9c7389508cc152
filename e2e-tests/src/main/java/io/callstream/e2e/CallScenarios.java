package io.callstream.e2e;

import io.callstream.events.CloudEventExtensions;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.CommandResult.Status;
import io.cloudevents.CloudEvent;
import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The end-to-end call flows, driven only the way a user drives callstream: commands published on
 * Kafka, results and events read from Kafka, history read with SQL; the emulator rings the
 * phones. The same code runs in the integration tests (in-process stack) and in {@code make demo}
 * (the stack of {@code make run}).
 */
public final class CallScenarios {

    /** How long any one step may take. */
    public static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The application's PSTN number in the scenarios. */
    public static final String APP_NUMBER = "+14255550100";

    private final StackClient stack;

    public CallScenarios(StackClient stack) {
        this.stack = stack;
    }

    /**
     * A finished call as SQL shows it.
     *
     * @param callConnectionId the application's leg
     * @param direction inbound or outbound
     * @param state the final state
     * @param fromRawId the caller
     * @param toRawIds the callees
     * @param endSubCode the ending event's subCode
     * @param participants how many participants the leg saw
     * @param commandIds the commands that drove it, in order
     */
    public record CallOutcome(String callConnectionId, String direction, String state, String fromRawId, String toRawIds,
                              Integer endSubCode, int participants, List<String> commandIds) {

        CallOutcome withCommands(List<String> ids) {
            return new CallOutcome(callConnectionId, direction, state, fromRawId, toRawIds, endSubCode, participants, ids);
        }
    }

    /**
     * An inbound PSTN call: the emulator rings the application, a routing service (this code)
     * reads the IncomingCall from {@code acs.eventgrid}, publishes AnswerCall, waits for the call to
     * connect, then publishes HangUp for everyone.
     */
    public CallOutcome inboundAnsweredThenHungUp(String caller) throws SQLException {
        var ringing = stack.ring(caller, APP_NUMBER);
        require(ringing.status() == 201, "the emulator did not ring: " + ringing.status() + " " + ringing.body());
        require(ringing.json().path("deliveryStatus").asInt() == 200, "ingress did not accept the IncomingCall: " + ringing.body());
        String incomingCallContext = incomingCallContext(ringing.json().path("serverCallId").asText());

        String answerId = StackClient.newCommandId("answer");
        stack.publishCommand(answerId, """
                {"type":"AnswerCall","commandId":"%s","incomingCallContext":"%s"}""".formatted(answerId, incomingCallContext));
        CommandResult answered = awaitStatus(answerId, Status.COMPLETED);
        String leg = answered.callConnectionId();
        awaitState(leg, "connected", 1);

        String hangUpId = StackClient.newCommandId("hangup");
        stack.publishCommand(hangUpId, """
                {"type":"HangUp","commandId":"%s","callConnectionId":"%s","forEveryone":true}""".formatted(hangUpId, leg));
        awaitStatus(hangUpId, Status.COMPLETED);
        return awaitState(leg, "disconnected", 1).withCommands(List.of(answerId, hangUpId));
    }

    /**
     * Rings the application from {@code caller} and waits for the IncomingCall on {@code acs.eventgrid}.
     *
     * @return the incomingCallContext that AnswerCall, RejectCall and RedirectCall take
     */
    public String ring(String caller) {
        var ringing = stack.ring(caller, APP_NUMBER);
        require(ringing.status() == 201, "the emulator did not ring: " + ringing.status() + " " + ringing.body());
        return incomingCallContext(ringing.json().path("serverCallId").asText());
    }

    /** Waits for the IncomingCall of {@code serverCallId} on {@code acs.eventgrid} and returns its incomingCallContext. */
    public String incomingCallContext(String serverCallId) {
        CloudEvent incoming = await("IncomingCall on acs.eventgrid", () -> stack.events().stream()
                .map(r -> r.value())
                .filter(e -> e != null && "Microsoft.Communication.IncomingCall".equals(e.getType())
                        && serverCallId.equals(e.getExtension(CloudEventExtensions.SERVER_CALL_ID)))
                .findFirst());
        return json(incoming).path("incomingCallContext").asText();
    }

    /** An outbound PSTN call from the application's number, connected; returns its callConnectionId. */
    public String connectedOutboundCall(String callee) {
        String createId = StackClient.newCommandId("create");
        stack.publishCommand(createId, """
                {"type":"CreateCall","commandId":"%s","targets":[{"phoneNumber":"%s"}],"sourceCallerIdNumber":"%s"}"""
                .formatted(createId, callee, APP_NUMBER));
        String leg = awaitStatus(createId, Status.COMPLETED).callConnectionId();
        awaitState(leg, "connected", 1);
        return leg;
    }

    /** Publishes a command given as JSON with a {@code %s} for its commandId; returns the commandId. */
    public String publish(String prefix, String jsonWithCommandId) {
        String commandId = StackClient.newCommandId(prefix);
        stack.publishCommand(commandId, jsonWithCommandId.formatted(commandId));
        return commandId;
    }

    /** An outbound PSTN call: CreateCall to {@code callee} with the application's caller id, connected, then HangUp. */
    public CallOutcome outboundCreatedThenHungUp(String callee) throws SQLException {
        String createId = StackClient.newCommandId("create");
        stack.publishCommand(createId, """
                {"type":"CreateCall","commandId":"%s","targets":[{"phoneNumber":"%s"}],"sourceCallerIdNumber":"%s"}"""
                .formatted(createId, callee, APP_NUMBER));
        CommandResult created = awaitStatus(createId, Status.COMPLETED);
        String leg = created.callConnectionId();
        awaitState(leg, "connected", 1);

        String hangUpId = StackClient.newCommandId("hangup");
        stack.publishCommand(hangUpId, """
                {"type":"HangUp","commandId":"%s","callConnectionId":"%s"}""".formatted(hangUpId, leg));
        awaitStatus(hangUpId, Status.COMPLETED);
        return awaitState(leg, "disconnected", 1).withCommands(List.of(createId, hangUpId));
    }

    /**
     * What the IVR did with a call.
     *
     * @param callConnectionId the application's leg
     * @param choice the menu label the caller picked
     * @param recordingId the call's recording
     * @param timeline the leg's events and commands, in order, as {@code make demo} prints them
     */
    public record IvrOutcome(String callConnectionId, String choice, String recordingId, List<String> timeline) {
    }

    /**
     * An IVR: an inbound call is answered and recorded, a menu is played, the caller presses
     * {@code key} (through the emulator), the DTMF choice is recognized, and the call is routed by
     * it: sales gets an agent added, support is transferred. Then the recording stops and the
     * call ends.
     */
    public IvrOutcome ivr(String caller, String key) throws SQLException {
        String context = ring(caller);
        String answerId = publish("answer", """
                {"type":"AnswerCall","commandId":"%s","incomingCallContext":"%s"}""".formatted("%s", context));
        String leg = awaitStatus(answerId, Status.COMPLETED).callConnectionId();
        awaitState(leg, "connected", 1);
        String serverCallId = query("select server_call_id from calls where call_connection_id = ?", leg);

        String recordId = publish("record", """
                {"type":"StartRecording","commandId":"%s","serverCallId":"%s","recordingContentType":"audio","recordingFormatType":"mp3"}"""
                .formatted("%s", serverCallId));
        String recordingId = awaitStatus(recordId, Status.ACCEPTED).recordingId();
        awaitStatus(publish("menu", """
                {"type":"Play","commandId":"%s","callConnectionId":"%s","playSources":[{"text":"Welcome to Contoso. For sales press 1, for support press 2.",
                 "voiceName":"en-US-NancyNeural"}]}""".formatted("%s", leg)), Status.COMPLETED);
        String recognizeId = publish("choice", """
                {"type":"Recognize","commandId":"%s","callConnectionId":"%s","recognizeInputType":"choices","participant":{"phoneNumber":"%s"},
                 "initialSilenceTimeoutInSeconds":20,"choices":[{"label":"sales","phrases":["sales"],"tone":"one"},
                 {"label":"support","phrases":["support"],"tone":"two"}]}""".formatted("%s", leg, caller));
        awaitStatus(recognizeId, Status.ACCEPTED);
        Awaitility.await("the caller presses " + key).atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> stack.press(leg, key).status() == 204);
        awaitStatus(recognizeId, Status.COMPLETED);
        String choice = await("the recognized choice",
                () -> Optional.ofNullable(queryUnchecked("select label from recognized_inputs where operation_context = ?", recognizeId)));

        if (choice.equals("sales")) {
            awaitStatus(publish("route", """
                    {"type":"AddParticipant","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"8:acs:contoso_sales-agent"}}"""
                    .formatted("%s", leg)), Status.COMPLETED);
            awaitState(leg, "connected", 3);
        } else {
            awaitStatus(publish("route", """
                    {"type":"TransferCall","commandId":"%s","callConnectionId":"%s","target":{"communicationUserId":"8:acs:contoso_support-agent"}}"""
                    .formatted("%s", leg)), Status.COMPLETED);
        }
        awaitStatus(publish("stop", """
                {"type":"StopRecording","commandId":"%s","recordingId":"%s"}""".formatted("%s", recordingId)), Status.COMPLETED);
        await("the recording's files", () -> Optional.ofNullable(
                queryUnchecked("select files_ready_at::text from recordings where recording_id = ?", recordingId)));
        if (choice.equals("sales")) {
            awaitStatus(publish("hangup", """
                    {"type":"HangUp","commandId":"%s","callConnectionId":"%s","forEveryone":true}""".formatted("%s", leg)), Status.COMPLETED);
        }
        awaitState(leg, "disconnected", 1);
        return new IvrOutcome(leg, choice, recordingId, timeline(leg, recordingId));
    }

    /** The leg's events and commands in time order, one line each: time, kind, what, result. */
    public List<String> timeline(String callConnectionId, String recordingId) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection db = stack.database();
             PreparedStatement q = db.prepareStatement("""
                     select at, kind, what, result from (
                         select coalesce(e.event_time, e.received_at) as at, 'event' as kind,
                                replace(e.event_type, 'Microsoft.Communication.', '') as what,
                                coalesce((e.payload -> 'resultInformation' ->> 'code') || '/' || (e.payload -> 'resultInformation' ->> 'subCode'), '') as result
                         from call_events e
                         where e.call_connection_id = ? or e.subject like '%/recordingId/' || ?
                         union all
                         select c.received_at, 'command', c.command_type, c.status || coalesce(' ' || c.reason, '')
                         from commands c
                         where c.call_connection_id = ? or c.payload ->> 'recordingId' = ?
                            or c.command_id in (select start_command_id from recordings where recording_id = ?)
                     ) t order by at, kind""")) {
            q.setString(1, callConnectionId);
            q.setString(2, recordingId);
            q.setString(3, callConnectionId);
            q.setString(4, recordingId);
            q.setString(5, recordingId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    lines.add(String.format("%-30s %-8s %-36s %s", rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return lines;
    }

    private String query(String sql, String parameter) throws SQLException {
        try (Connection db = stack.database(); PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private String queryUnchecked(String sql, String parameter) {
        try {
            return query(sql, parameter);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until a command has a result with {@code status}, and returns it. Results may arrive
     * out of order (a completed before its accepted), so another end is an error only when it
     * contradicts the wanted one: a rejected or failed command never becomes accepted or completed.
     */
    public CommandResult awaitStatus(String commandId, Status status) {
        return await("command " + commandId + " " + status.wireName(), () -> {
            List<CommandResult> results = stack.results(commandId);
            Optional<CommandResult> wanted = results.stream().filter(r -> r.status() == status).findFirst();
            if (wanted.isPresent()) {
                return wanted;
            }
            results.stream().filter(r -> r.status().isTerminal() && (status.isTerminal()
                    || r.status() == Status.REJECTED || r.status() == Status.FAILED)).findFirst().ifPresent(other -> {
                throw new IllegalStateException("command " + commandId + " ended " + other.status().wireName() + ": " + other.reason());
            });
            return Optional.empty();
        });
    }

    /** Waits until the leg's {@code calls} row has {@code state} and at least {@code minParticipants} participants. */
    public CallOutcome awaitState(String callConnectionId, String state, int minParticipants) {
        return await("call " + callConnectionId + " " + state, () -> {
            try {
                return history(callConnectionId).filter(c -> c.state().equals(state) && c.participants() >= minParticipants);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The leg's row of {@code calls}, with its participant count. */
    public Optional<CallOutcome> history(String callConnectionId) throws SQLException {
        try (Connection db = stack.database();
             PreparedStatement q = db.prepareStatement("""
                     select c.call_connection_id, c.direction, c.state, c.from_raw_id, array_to_string(c.to_raw_ids, ','),
                            c.end_sub_code, (select count(*) from participants p where p.call_connection_id = c.call_connection_id)
                     from calls c where c.call_connection_id = ?""")) {
            q.setString(1, callConnectionId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new CallOutcome(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), (Integer) rs.getObject(6), rs.getInt(7), List.of()));
            }
        }
    }

    /** Prints call history rows for some legs, as {@code make demo} shows them. */
    public List<String> printHistory(List<String> callConnectionIds) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection db = stack.database();
             PreparedStatement q = db.prepareStatement("""
                     select c.call_connection_id, c.direction, c.state, c.from_raw_id, array_to_string(c.to_raw_ids, ','),
                            c.connected_at, c.ended_at, c.end_code, c.end_sub_code,
                            (select count(*) from call_events e where e.call_connection_id = c.call_connection_id) as events
                     from calls c where c.call_connection_id = any(?) order by c.created_at""")) {
            q.setArray(1, db.createArrayOf("text", callConnectionIds.toArray()));
            lines.add(String.format("%-38s %-9s %-13s %-16s %-16s %-8s %-9s %s", "call_connection_id", "direction", "state",
                    "from", "to", "duration", "end", "events"));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    var connected = rs.getTimestamp(6);
                    var ended = rs.getTimestamp(7);
                    String duration = connected == null || ended == null ? "-"
                            : String.format("%.1fs", Duration.between(connected.toInstant(), ended.toInstant()).toMillis() / 1000.0);
                    lines.add(String.format("%-38s %-9s %-13s %-16s %-16s %-8s %-9s %d", rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getString(5), duration, rs.getObject(8) + "/" + rs.getObject(9),
                            rs.getInt(10)));
                }
            }
        }
        return lines;
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) {
        return Awaitility.await(what).atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(probe::get, Optional::isPresent).orElseThrow();
    }

    private static com.fasterxml.jackson.databind.JsonNode json(CloudEvent event) {
        try {
            return JSON.readTree(
                    new String(event.getData().toBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
