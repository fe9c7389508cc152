package io.callstream.events.commands;

import io.callstream.events.commands.CallCommand.CreateCall;
import io.callstream.events.commands.CallCommand.HangUp;
import io.callstream.events.commands.Commands.Invalid;
import io.callstream.events.commands.Commands.Valid;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandsTests {

    private static Commands.Parsed parse(String json) {
        return Commands.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidCreateCallBecomesItsRecord() {
        Commands.Parsed parsed = parse("""
                {"type":"CreateCall","commandId":"c-1","targets":[{"phoneNumber":"+14255550123"}],
                 "sourceCallerIdNumber":"+14255550100","sourceDisplayName":"Contoso"}""");

        assertThat(parsed).isEqualTo(new Valid(new CreateCall("c-1", List.of(CallTarget.phone("+14255550123")),
                "+14255550100", "Contoso", null)));
    }

    @Test
    void aPstnTargetWithoutCallerIdIsRejectedWithTheSchemasReason() {
        Commands.Parsed parsed = parse("""
                {"type":"CreateCall","commandId":"c-2","targets":[{"phoneNumber":"+14255550123"}]}""");

        assertThat(parsed).isInstanceOfSatisfying(Invalid.class, invalid -> {
            assertThat(invalid.commandId()).isEqualTo("c-2");
            assertThat(invalid.reason()).contains("sourceCallerIdNumber");
        });
    }

    @Test
    void anAcsUserTargetNeedsNoCallerId() {
        assertThat(parse("""
                {"type":"CreateCall","commandId":"c-3","targets":[{"communicationUserId":"8:acs:r_u"}]}"""))
                .isInstanceOf(Valid.class);
    }

    @Test
    void unknownTypesMissingFieldsAndNonJsonAreRejectedWithReasons() {
        assertThat(parse("{\"type\":\"Dance\",\"commandId\":\"x\"}"))
                .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("unknown command type 'Dance'"));
        assertThat(parse("{\"type\":\"HangUp\",\"commandId\":\"x\"}"))
                .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("callConnectionId"));
        assertThat(parse("{not json"))
                .isInstanceOfSatisfying(Invalid.class, i -> {
                    assertThat(i.reason()).startsWith("not JSON");
                    assertThat(i.json()).isFalse();
                });
        assertThat(parse("{\"type\":\"Dance\"}")).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.json()).isTrue());
        assertThat(parse("[1,2]"))
                .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("JSON object"));
        assertThat(parse("{\"type\":\"HangUp\",\"commandId\":\"x\",\"callConnectionId\":\"y\",\"extra\":1}"))
                .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("extra"));
    }

    @Test
    void theCallControlSchemasHoldTheirRules() {
        assertThat(parse("{\"type\":\"RedirectCall\",\"commandId\":\"r\",\"incomingCallContext\":\"x\",\"target\":{\"phoneNumber\":\"+14255550123\"}}"))
                .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("sourceCallerIdNumber"));
        assertThat(parse("{\"type\":\"RejectCall\",\"commandId\":\"r\",\"incomingCallContext\":\"x\",\"callRejectReason\":\"rude\"}"))
                .isInstanceOf(Invalid.class);
        assertThat(parse("{\"type\":\"RejectCall\",\"commandId\":\"r\",\"incomingCallContext\":\"x\",\"callRejectReason\":\"busy\"}"))
                .isInstanceOf(Valid.class);
        assertThat(parse("{\"type\":\"AddParticipant\",\"commandId\":\"a\",\"callConnectionId\":\"c\",\"participant\":{\"communicationUserId\":\"8:acs:u\"},\"invitationTimeoutInSeconds\":181}"))
                .isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.reason()).contains("invitationTimeoutInSeconds"));
        assertThat(parse("{\"type\":\"CancelAddParticipant\",\"commandId\":\"x\",\"callConnectionId\":\"c\"}"))
                .isInstanceOf(Invalid.class);
        assertThat(parse("{\"type\":\"CancelAddParticipant\",\"commandId\":\"x\",\"callConnectionId\":\"c\",\"invitationId\":\"i\",\"addParticipantCommandId\":\"a\"}"))
                .isInstanceOf(Invalid.class);
        assertThat(parse("{\"type\":\"CancelAddParticipant\",\"commandId\":\"x\",\"callConnectionId\":\"c\",\"addParticipantCommandId\":\"a\"}"))
                .isInstanceOf(Valid.class);
    }

    @Test
    void aCommandRoundTripsThroughItsWireJson() {
        HangUp hangUp = new HangUp("h-1", "conn-1", true);

        assertThat(Commands.parse(Commands.toJson(hangUp))).isEqualTo(new Valid(hangUp));
    }

    @Test
    void aResultRoundTripsWithLowerCaseStatus() {
        CommandResult result = new CommandResult("c-1", "CreateCall", CommandResult.Status.ACCEPTED, null,
                "conn", "server", "corr", null, null, null, null, null, Instant.parse("2026-01-01T00:00:00Z"));

        byte[] json = Commands.toJson(result);

        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"status\":\"accepted\"");
        assertThat(Commands.readResult(json)).isEqualTo(result);
    }
}
