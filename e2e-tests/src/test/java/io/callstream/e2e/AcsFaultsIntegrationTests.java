package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.CommandResult.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.callstream.e2e.support.Sql.one;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ACS throttling, failures and timeouts, injected by the emulator ({@code POST /emulator/faults}):
 * command-service retries with backoff, waits what Retry-After says, never makes ACS act twice,
 * and ends a command {@code failed} with the reason once every retry is spent. The stack's
 * command-service allows 2 s per attempt and 3 retries, 100 ms to 1 s apart.
 */
@ExtendWith(StackExtension.class)
class AcsFaultsIntegrationTests {

    private static final String CREATE = """
            {"type":"CreateCall","commandId":"%s","targets":[{"phoneNumber":"+14255550170"}],"sourceCallerIdNumber":"+14255550100"}""";

    @AfterEach
    void clearFaults(StackClient client) {
        client.clearFaults();
    }

    @Test
    void throttledRequestsWaitForRetryAfterAndThenSucceed(StackClient client) {
        Map<String, Long> before = client.acsRequests();
        assertThat(client.injectFault("{\"status\":429,\"retryAfterSeconds\":2,\"count\":2}").status()).isEqualTo(204);

        Instant sent = Instant.now();
        String commandId = new CallScenarios(client).publish("create", CREATE);
        CommandResult accepted = new CallScenarios(client).awaitStatus(commandId, Status.ACCEPTED);

        Map<String, Long> after = client.acsRequests();
        assertThat(accepted.callConnectionId()).isNotBlank();
        // Two throttled attempts, each followed by the 2 s ACS asked for (the computed backoff is 100-200 ms).
        assertThat(Duration.between(sent, accepted.time())).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        assertThat(after.get("faulted") - before.get("faulted")).isEqualTo(2);
        assertThat(after.get("duplicates")).isEqualTo(before.get("duplicates"));
    }

    @Test
    void aServiceUnavailableAnswerIsRetried(StackClient client) {
        Map<String, Long> before = client.acsRequests();
        client.injectFault("{\"status\":503,\"count\":1}");

        String commandId = new CallScenarios(client).publish("create", CREATE);
        CommandResult accepted = new CallScenarios(client).awaitStatus(commandId, Status.ACCEPTED);

        Map<String, Long> after = client.acsRequests();
        assertThat(accepted.callConnectionId()).isNotBlank();
        assertThat(after.get("faulted") - before.get("faulted")).isEqualTo(1);
        assertThat(after.get("duplicates")).isEqualTo(before.get("duplicates"));
    }

    @Test
    void retriesSpentOnServerErrorsEndTheCommandFailedWithTheReason(StackClient client) throws Exception {
        Map<String, Long> before = client.acsRequests();
        client.injectFault("{\"status\":500}");

        String commandId = new CallScenarios(client).publish("create", CREATE);
        CommandResult failed = new CallScenarios(client).awaitStatus(commandId, Status.FAILED);
        client.clearFaults();

        Map<String, Long> after = client.acsRequests();
        assertThat(failed.reason()).contains("ACS answered 500 to all 4 attempts");
        assertThat(failed.errorCode()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(after.get("faulted") - before.get("faulted")).isEqualTo(4);
        assertThat(one(client, "select status || ' ' || reason from commands where command_id = ?", commandId))
                .startsWith("failed ACS answered 500 to all 4 attempts");
    }

    @Test
    void aRequestThatTimedOutAfterActingIsReplayedNotRepeated(StackClient client) {
        Map<String, Long> before = client.acsRequests();
        // ACS acts, but its answer comes after the client's 2 s timeout; the retry carries the same Repeatability-Request-ID.
        client.injectFault("{\"delayMs\":3000,\"count\":1}");

        String commandId = new CallScenarios(client).publish("create", CREATE);
        CommandResult accepted = new CallScenarios(client).awaitStatus(commandId, Status.ACCEPTED);

        Map<String, Long> after = client.acsRequests();
        assertThat(accepted.callConnectionId()).isNotBlank();
        assertThat(after.get("executed") - before.get("executed")).isEqualTo(1);
        assertThat(after.get("replayed") - before.get("replayed")).isGreaterThanOrEqualTo(1);
        assertThat(after.get("duplicates")).isEqualTo(before.get("duplicates"));
    }

    @Test
    void aCommandAcsActsOnButNeverAnswersIsEndedByItsEventsNotFailed(StackClient client, LocalStack stack) throws Exception {
        Map<String, Long> before = client.acsRequests();
        client.injectFault("{\"delayMs\":3000}");

        String commandId = new CallScenarios(client).publish("create", CREATE);
        // The call connects (CallConnected carries the commandId as operationContext) while every REST attempt times out.
        CommandResult completed = new CallScenarios(client).awaitStatus(commandId, Status.COMPLETED);
        stack.awaitConsumed();
        client.clearFaults();

        Map<String, Long> after = client.acsRequests();
        assertThat(completed.callConnectionId()).isNotBlank();
        assertThat(client.resultsOnTopic(commandId)).extracting(CommandResult::status).containsExactly(Status.COMPLETED);
        assertThat(one(client, "select status from commands where command_id = ?", commandId)).isEqualTo("completed");
        assertThat(after.get("executed") - before.get("executed")).isEqualTo(1);
        assertThat(after.get("duplicates")).isEqualTo(before.get("duplicates"));
    }

    @Test
    void aCommandAcsNeverAnswersEndsFailedSayingItMayHaveActed(StackClient client) throws Exception {
        CallScenarios scenarios = new CallScenarios(client);
        String leg = scenarios.connectedOutboundCall("+14255550171");
        Map<String, Long> before = client.acsRequests();
        client.injectFault("{\"delayMs\":3000}");

        // Mute sends no event, so nothing but ACS's answer could end the command.
        String commandId = scenarios.publish("mute", """
                {"type":"MuteParticipant","commandId":"%s","callConnectionId":"%s","participant":{"communicationUserId":"8:acs:faults-mute"}}"""
                .formatted("%s", leg));
        CommandResult failed = scenarios.awaitStatus(commandId, Status.FAILED);
        client.clearFaults();

        Map<String, Long> after = client.acsRequests();
        assertThat(failed.reason()).startsWith("ACS did not answer in 4 attempts, so it may or may not have acted");
        assertThat(after.get("executed") - before.get("executed")).isEqualTo(1);
        assertThat(after.get("duplicates")).isEqualTo(before.get("duplicates"));
    }

    @Test
    void aFaultRequestThatIsNotOneOfTheShapesIsRefused(StackClient client) {
        assertThat(client.injectFault("{\"status\":200}").status()).isEqualTo(400);
        assertThat(client.injectFault("{\"status\":503,\"delayMs\":10}").status()).isEqualTo(400);
        assertThat(client.injectFault("{\"status\":503,\"count\":0}").status()).isEqualTo(400);
        assertThat(client.injectFault("not json").status()).isEqualTo(400);
    }
}
