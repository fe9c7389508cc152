package io.callstream.e2e;

import io.callstream.e2e.CallScenarios.CallOutcome;
import io.callstream.e2e.support.StackExtension;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.CommandResult.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline end to end: calls rung and placed through the ACS emulator with the real Azure
 * SDK, events through ingress-service and a real Kafka broker, history in a real PostgreSQL.
 */
@ExtendWith(StackExtension.class)
class CallFlowIntegrationTests {

    @Test
    void anInboundPstnCallIsAnsweredByCommandAndHungUpForEveryone(StackClient stack) throws Exception {
        CallOutcome call = new CallScenarios(stack).inboundAnsweredThenHungUp("+14255550123");

        assertThat(call.direction()).isEqualTo("inbound");
        assertThat(call.state()).isEqualTo("disconnected");
        assertThat(call.fromRawId()).isEqualTo("4:+14255550123");
        assertThat(call.toRawIds()).isEqualTo("4:" + CallScenarios.APP_NUMBER);
        assertThat(call.endSubCode()).isEqualTo(7000);
        assertThat(call.participants()).isEqualTo(2);
        String answerId = call.commandIds().getFirst();
        assertThat(stack.results(answerId)).extracting(CommandResult::status).contains(Status.ACCEPTED, Status.COMPLETED);
        assertThat(stack.results(answerId)).extracting(CommandResult::callConnectionId).containsOnly(call.callConnectionId());
    }

    @Test
    void anOutboundPstnCallIsCreatedConnectedAndHungUp(StackClient stack) throws Exception {
        CallOutcome call = new CallScenarios(stack).outboundCreatedThenHungUp("+14255550188");

        assertThat(call.direction()).isEqualTo("outbound");
        assertThat(call.state()).isEqualTo("disconnected");
        assertThat(call.fromRawId()).isEqualTo("4:" + CallScenarios.APP_NUMBER);
        assertThat(call.toRawIds()).isEqualTo("4:+14255550188");
        assertThat(call.endSubCode()).isEqualTo(7000);
        assertThat(stack.results(call.commandIds().getLast())).extracting(CommandResult::status)
                .contains(Status.ACCEPTED, Status.COMPLETED);
    }
}
