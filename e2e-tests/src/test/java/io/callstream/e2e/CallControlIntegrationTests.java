package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.Sql;
import io.callstream.e2e.support.StackExtension;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.CommandResult.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call-control actions of the seed guide ("control and steer calls with Call Automation")
 * through the whole pipeline: commands on Kafka, ACS (the emulator) through the SDK and the REST
 * pipeline, results on Kafka, state in SQL. Failure events come from the emulator's callee scenarios.
 */
@ExtendWith(StackExtension.class)
class CallControlIntegrationTests {

    private final StackClient client;
    private final CallScenarios scenarios;

    CallControlIntegrationTests(StackClient client, LocalStack stack) {
        this.client = client;
        this.scenarios = new CallScenarios(client);
    }

    @Test
    void rejectDeclinesTheRingingCallAndCompletesOnAcceptance() {
        String context = scenarios.ring("+14255550111");

        String rejectId = scenarios.publish("reject", """
                {"type":"RejectCall","commandId":"%s","incomingCallContext":"%s","callRejectReason":"busy"}""".formatted("%s", context));
        scenarios.awaitStatus(rejectId, Status.COMPLETED);
        String answerId = scenarios.publish("answer", """
                {"type":"AnswerCall","commandId":"%s","incomingCallContext":"%s"}""".formatted("%s", context));
        CommandResult lateAnswer = scenarios.awaitStatus(answerId, Status.REJECTED);

        assertThat(client.results(rejectId)).extracting(CommandResult::status).containsExactly(Status.ACCEPTED, Status.COMPLETED);
        assertThat(lateAnswer.reason()).contains("ACS answered 400").contains("IncomingCallContext");
    }

    @Test
    void redirectSendsAPstnCallToAnAcsUserButAVoipCallNeverToAPhoneNumber() {
        String pstnCall = scenarios.ring("+14255550112");
        String redirectId = scenarios.publish("redirect", """
                {"type":"RedirectCall","commandId":"%s","incomingCallContext":"%s","target":{"communicationUserId":"8:acs:r_agent"}}"""
                .formatted("%s", pstnCall));
        scenarios.awaitStatus(redirectId, Status.COMPLETED);

        String voipCall = scenarios.ring("8:acs:r_voip-caller");
        String toPhoneId = scenarios.publish("redirect", """
                {"type":"RedirectCall","commandId":"%s","incomingCallContext":"%s","target":{"phoneNumber":"+14255550113"},
                 "sourceCallerIdNumber":"%s"}""".formatted("%s", voipCall, CallScenarios.APP_NUMBER));
        CommandResult refused = scenarios.awaitStatus(toPhoneId, Status.REJECTED);

        assertThat(refused.reason()).contains("VoIP").contains("phone number");
        assertThat(refused.errorCode()).isEqualTo("CommandRefused");
    }

    @Test
    void addParticipantJoinsThemAndThenRemoveParticipantTakesThemOut() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550114");
        String agent = "8:acs:r_agent-" + UUID.randomUUID();

        String addId = scenarios.publish("add", """
                {"type":"AddParticipant","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"%s"},
                 "invitationTimeoutInSeconds":30}""".formatted("%s", leg, agent));
        CommandResult accepted = scenarios.awaitStatus(addId, Status.ACCEPTED);
        scenarios.awaitStatus(addId, Status.COMPLETED);
        scenarios.awaitState(leg, "connected", 3);

        String removeId = scenarios.publish("remove", """
                {"type":"RemoveParticipant","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"%s"}}"""
                .formatted("%s", leg, agent));
        scenarios.awaitStatus(removeId, Status.COMPLETED);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> participants(leg).contains(agent + " left"));

        assertThat(accepted.invitationId()).isNotBlank();
        assertThat(participants(leg)).contains("4:+14255550114 present", agent + " left");
    }

    @Test
    void removingTheLastOtherParticipantEndsTheCallWith5002() {
        String leg = scenarios.connectedOutboundCall("+14255550115");

        String removeId = scenarios.publish("remove", """
                {"type":"RemoveParticipant","commandId":"%s","callConnectionId":"%s","participant":{"phoneNumber":"+14255550115"}}"""
                .formatted("%s", leg));
        scenarios.awaitStatus(removeId, Status.COMPLETED);
        CallScenarios.CallOutcome call = scenarios.awaitState(leg, "disconnected", 1);

        assertThat(call.endSubCode()).isEqualTo(5002);
    }

    @Test
    void cancelAddParticipantByTheAddsCommandIdWithdrawsThePendingInvitation() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550116");
        String slowAgent = "8:acs:r_slow-" + UUID.randomUUID();
        client.callee(slowAgent, "noAnswer");

        String addId = scenarios.publish("add", """
                {"type":"AddParticipant","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"%s"},
                 "invitationTimeoutInSeconds":60}""".formatted("%s", leg, slowAgent));
        String invitationId = scenarios.awaitStatus(addId, Status.ACCEPTED).invitationId();
        String cancelId = scenarios.publish("cancel", """
                {"type":"CancelAddParticipant","commandId":"%s","callConnectionId":"%s","addParticipantCommandId":"%s"}"""
                .formatted("%s", leg, addId));
        CommandResult cancelled = scenarios.awaitStatus(cancelId, Status.COMPLETED);
        CommandResult add = scenarios.awaitStatus(addId, Status.FAILED);

        assertThat(client.results(cancelId).getFirst().invitationId()).isEqualTo(invitationId);
        assertThat(cancelled.errorCode()).isEqualTo("487");
        assertThat(cancelled.subCode()).isEqualTo(5234);
        assertThat(add.reason()).startsWith("invitation cancelled");
        assertThat(participants(leg)).noneMatch(p -> p.startsWith(slowAgent));
    }

    @Test
    void failureEventsFailTheirCommandsWithTheRealSubCodes() throws Exception {
        String busyNumber = "+14255550117";
        client.callee(busyNumber, "busy");
        String createId = scenarios.publish("create", """
                {"type":"CreateCall","commandId":"%s","targets":[{"phoneNumber":"%s"}],"sourceCallerIdNumber":"%s"}"""
                .formatted("%s", busyNumber, CallScenarios.APP_NUMBER));
        CommandResult createFailed = scenarios.awaitStatus(createId, Status.FAILED);
        CallScenarios.CallOutcome busyCall = scenarios.awaitState(createFailed.callConnectionId(), "disconnected", 0);

        String leg = scenarios.connectedOutboundCall("+14255550118");
        String decliner = "8:acs:r_decliner-" + UUID.randomUUID();
        client.callee(decliner, "decline");
        String addId = scenarios.publish("add", """
                {"type":"AddParticipant","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"%s"}}"""
                .formatted("%s", leg, decliner));
        CommandResult addFailed = scenarios.awaitStatus(addId, Status.FAILED);
        String removeId = scenarios.publish("remove", """
                {"type":"RemoveParticipant","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"8:acs:r_nobody"}}"""
                .formatted("%s", leg));
        CommandResult removeFailed = scenarios.awaitStatus(removeId, Status.FAILED);
        String cancelId = scenarios.publish("cancel", """
                {"type":"CancelAddParticipant","commandId":"%s","callConnectionId":"%s","invitationId":"no-such-invitation"}"""
                .formatted("%s", leg));
        CommandResult cancelFailed = scenarios.awaitStatus(cancelId, Status.FAILED);

        assertThat(createFailed.reason()).startsWith("CreateCallFailed");
        assertThat(createFailed.subCode()).isEqualTo(560486);
        assertThat(busyCall.endSubCode()).isEqualTo(560486);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            String reason = endReason(createFailed.callConnectionId());
            return reason != null && reason.startsWith("CreateCallFailed");
        });
        assertThat(historyOutcome(createFailed.callConnectionId())).isEqualTo("failed");
        assertThat(addFailed.reason()).startsWith("AddParticipantFailed").contains("Decline");
        assertThat(addFailed.errorCode()).isEqualTo("603");
        assertThat(removeFailed.reason()).startsWith("RemoveParticipantFailed");
        assertThat(removeFailed.subCode()).isEqualTo(8522);
        assertThat(cancelFailed.reason()).startsWith("CancelAddParticipantFailed");
        assertThat(cancelFailed.subCode()).isEqualTo(8519);
        assertThat(cancelFailed.message()).contains("DiagCode: 409#8519");
        awaitLastFailure(leg, "CancelAddParticipantFailed: 409/8519");
    }

    @Test
    void answeringACallWhoseCallerGaveUpFailsWithAnswerFailed() throws Exception {
        var ringing = client.ring("+14255550134", CallScenarios.APP_NUMBER, true);
        String context = scenarios.incomingCallContext(ringing.json().path("serverCallId").asText());

        String answerId = scenarios.publish("answer", """
                {"type":"AnswerCall","commandId":"%s","incomingCallContext":"%s"}""".formatted("%s", context));
        CommandResult failed = scenarios.awaitStatus(answerId, Status.FAILED);
        CallScenarios.CallOutcome call = scenarios.awaitState(failed.callConnectionId(), "disconnected", 0);

        assertThat(failed.reason()).startsWith("AnswerFailed");
        assertThat(failed.errorCode()).isEqualTo("487");
        assertThat(call.direction()).isEqualTo("inbound");
        assertThat(endReason(failed.callConnectionId())).startsWith("AnswerFailed");
        assertThat(historyOutcome(failed.callConnectionId())).isEqualTo("failed");
    }

    @Test
    void addParticipantCarriesCustomCallingContextAndAnInvalidSipHeaderIsRefusedByTheSchema() {
        String leg = scenarios.connectedOutboundCall("+14255550135");

        String addId = scenarios.publish("add", """
                {"type":"AddParticipant","commandId":"%s","callConnectionId":"%s","participant":{"phoneNumber":"+14255550136"},
                 "sourceCallerIdNumber":"%s","customCallingContext":{"sipHeaders":{"User-To-User":"abc;encoding=hex","X-MS-Custom-Ticket":"42"}}}"""
                .formatted("%s", leg, CallScenarios.APP_NUMBER));
        scenarios.awaitStatus(addId, Status.COMPLETED);
        String badId = scenarios.publish("add", """
                {"type":"AddParticipant","commandId":"%s","callConnectionId":"%s","participant":{"phoneNumber":"+14255550137"},
                 "sourceCallerIdNumber":"%s","customCallingContext":{"sipHeaders":{"Via":"nope"}}}"""
                .formatted("%s", leg, CallScenarios.APP_NUMBER));
        CommandResult refused = scenarios.awaitStatus(badId, Status.REJECTED);

        assertThat(refused.reason()).contains("sipHeaders");
    }

    @Test
    void aOneToOneTransferIsAcceptedAndEndsTheApplicationsLeg() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550121");

        String transferId = scenarios.publish("transfer", """
                {"type":"TransferCall","commandId":"%s","callConnectionId":"%s","target":{"communicationUserId":"8:acs:r_agent"},
                 "customCallingContext":{"voipHeaders":{"queue":"billing"}}}""".formatted("%s", leg));
        CommandResult transferred = scenarios.awaitStatus(transferId, Status.COMPLETED);
        CallScenarios.CallOutcome call = scenarios.awaitState(leg, "disconnected", 1);

        assertThat(transferred.subCode()).isEqualTo(7015);
        assertThat(call.endSubCode()).isEqualTo(7015);
        assertThat(historyOutcome(leg)).isEqualTo("transferred");
    }

    @Test
    void aGroupCallTransfersOneTransfereeWithSipHeadersAndStaysUp() throws Exception {
        String createId = scenarios.publish("create", """
                {"type":"CreateCall","commandId":"%s","targets":[{"phoneNumber":"+14255550122"},{"communicationUserId":"8:acs:r_colleague"}],
                 "sourceCallerIdNumber":"%s","sourceDisplayName":"Contoso"}""".formatted("%s", CallScenarios.APP_NUMBER));
        String leg = scenarios.awaitStatus(createId, Status.COMPLETED).callConnectionId();
        scenarios.awaitState(leg, "connected", 3);

        String transferId = scenarios.publish("transfer", """
                {"type":"TransferCall","commandId":"%s","callConnectionId":"%s","target":{"phoneNumber":"+14255550123"},
                 "transferee":{"phoneNumber":"+14255550122"},"sourceCallerIdNumber":"%s",
                 "customCallingContext":{"sipHeaders":{"User-To-User":"616d617a6f6e;encoding=hex","X-MS-Custom-Queue":"billing"}}}"""
                .formatted("%s", leg, CallScenarios.APP_NUMBER));
        scenarios.awaitStatus(transferId, Status.COMPLETED);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> participants(leg).contains("4:+14255550122 left"));

        assertThat(scenarios.history(leg).orElseThrow().state()).isEqualTo("transferAccepted");
        assertThat(participants(leg)).contains("8:acs:r_colleague present");
    }

    @Test
    void aTransferToABusyTargetFailsAndTheCallStaysConnected() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550124");
        client.callee("+14255550125", "busy");

        String transferId = scenarios.publish("transfer", """
                {"type":"TransferCall","commandId":"%s","callConnectionId":"%s","target":{"phoneNumber":"+14255550125"},
                 "sourceCallerIdNumber":"%s"}""".formatted("%s", leg, CallScenarios.APP_NUMBER));
        CommandResult failed = scenarios.awaitStatus(transferId, Status.FAILED);

        assertThat(failed.reason()).startsWith("CallTransferFailed");
        assertThat(failed.subCode()).isEqualTo(560486);
        assertThat(scenarios.awaitState(leg, "connected", 1).state()).isEqualTo("connected");
        awaitLastFailure(leg, "CallTransferFailed: 486/560486");
    }

    @Test
    void connectJoinsARunningCallByItsServerCallIdAndAnUnknownOneFails() {
        String createId = scenarios.publish("create", """
                {"type":"CreateCall","commandId":"%s","targets":[{"communicationUserId":"8:acs:r_host"}]}""");
        String serverCallId = scenarios.awaitStatus(createId, Status.ACCEPTED).serverCallId();
        scenarios.awaitStatus(createId, Status.COMPLETED);

        String connectId = scenarios.publish("connect", """
                {"type":"ConnectCall","commandId":"%s","serverCallId":"%s"}""".formatted("%s", serverCallId));
        CommandResult connected = scenarios.awaitStatus(connectId, Status.COMPLETED);
        String unknownId = scenarios.publish("connect", """
                {"type":"ConnectCall","commandId":"%s","serverCallId":"no-such-call"}""");
        CommandResult failed = scenarios.awaitStatus(unknownId, Status.FAILED);

        assertThat(connected.serverCallId()).isEqualTo(serverCallId);
        assertThat(scenarios.awaitState(connected.callConnectionId(), "connected", 1).callConnectionId()).isNotEqualTo(createId);
        assertThat(failed.reason()).startsWith("ConnectFailed");
        assertThat(failed.subCode()).isEqualTo(8522);
    }

    @Test
    void moveParticipantsBringsSomeoneFromAnotherCallAndSomeoneAbsentFails() throws Exception {
        String here = scenarios.connectedOutboundCall("+14255550126");
        String there = scenarios.connectedOutboundCall("+14255550127");

        String moveId = scenarios.publish("move", """
                {"type":"MoveParticipants","commandId":"%s","callConnectionId":"%s","fromCall":"%s","participants":[{"phoneNumber":"+14255550127"}]}"""
                .formatted("%s", here, there));
        scenarios.awaitStatus(moveId, Status.COMPLETED);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> participants(here).contains("4:+14255550127 present") && participants(there).contains("4:+14255550127 left"));
        String absentId = scenarios.publish("move", """
                {"type":"MoveParticipants","commandId":"%s","callConnectionId":"%s","fromCall":"%s","participants":[{"phoneNumber":"+14255550199"}]}"""
                .formatted("%s", here, there));
        CommandResult failed = scenarios.awaitStatus(absentId, Status.FAILED);

        assertThat(failed.reason()).startsWith("MoveParticipantFailed");
    }

    @Test
    void syncCallRestoresWhatTheProjectionLost() throws Exception {
        String leg = scenarios.connectedOutboundCall("+14255550128");
        try (Connection db = client.database();
             PreparedStatement lose = db.prepareStatement("delete from participants where call_connection_id = ?")) {
            lose.setString(1, leg);
            lose.executeUpdate();
        }

        String syncId = scenarios.publish("sync", """
                {"type":"SyncCall","commandId":"%s","callConnectionId":"%s"}""".formatted("%s", leg));
        scenarios.awaitStatus(syncId, Status.COMPLETED);

        assertThat(participants(leg)).containsExactlyInAnyOrder("4:" + CallScenarios.APP_NUMBER + " present", "4:+14255550128 present");
    }

    private List<String> participants(String leg) throws Exception {
        return Sql.column(client, """
                select raw_id || case when left_at is null then ' present' else ' left' end
                from participants where call_connection_id = ?""", leg);
    }

    private String historyOutcome(String leg) throws Exception {
        return Sql.one(client, "select outcome from call_history where call_connection_id = ?", leg);
    }

    /** Results are published inside the projecting transaction, just before it commits: SQL may lag a moment. */
    private void awaitLastFailure(String leg, String prefix) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            String failure = lastFailure(leg);
            return failure != null && failure.startsWith(prefix);
        });
    }

    private String lastFailure(String leg) throws Exception {
        return Sql.one(client, "select last_failure from calls where call_connection_id = ?", leg);
    }

    private String endReason(String leg) throws Exception {
        return Sql.one(client, "select end_reason from calls where call_connection_id = ?", leg);
    }
}
