package io.callstream.e2e;

import io.callstream.e2e.CallScenarios.CallOutcome;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code make demo}: runs an inbound call, an outbound call and an IVR call against the stack of
 * {@code make run}, and prints their history and the IVR call's timeline from SQL. Exits 0 only
 * when every row is as expected.
 *
 * <p>Endpoints come from the same variables as the stack ({@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code JDBC_DATABASE_URL}, {@code DATABASE_USER}, {@code DATABASE_PASSWORD},
 * {@code EMULATOR_URL}, {@code CALLSTREAM_EMULATOR_DATA_DIR}, {@code INGRESS_URL}), with the
 * local defaults.
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        StackClient.Endpoints endpoints = new StackClient.Endpoints(
                URI.create(env("EMULATOR_URL", "https://127.0.0.1:8443")),
                Path.of(env("CALLSTREAM_EMULATOR_DATA_DIR", ".local/emulator"), "emulator.crt"),
                URI.create(env("INGRESS_URL", "http://127.0.0.1:8080")),
                env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                env("JDBC_DATABASE_URL", "jdbc:postgresql://127.0.0.1:15432/callstream"),
                env("DATABASE_USER", "callstream"), env("DATABASE_PASSWORD", "callstream"));
        int failures = 0;
        try (StackClient stack = new StackClient(endpoints)) {
            CallScenarios scenarios = new CallScenarios(stack);
            System.out.println("1. The emulator rings an inbound PSTN call; AnswerCall, then HangUp for everyone, on calls.commands.");
            CallOutcome inbound = scenarios.inboundAnsweredThenHungUp("+14255550123");
            failures += check(inbound, "inbound", "4:+14255550123", "4:" + CallScenarios.APP_NUMBER);
            System.out.println("2. CreateCall to a PSTN number with the application's caller id, then HangUp.");
            CallOutcome outbound = scenarios.outboundCreatedThenHungUp("+14255550188");
            failures += check(outbound, "outbound", "4:" + CallScenarios.APP_NUMBER, "4:+14255550188");

            System.out.println("3. IVR: an inbound call is answered and recorded, a menu is played, the caller presses 1,");
            System.out.println("   the choice is recognized, and the call is routed to sales (an agent is added), then ends.");
            CallScenarios.IvrOutcome ivr = scenarios.ivr("+14255550170", "one");
            if (!"sales".equals(ivr.choice())) {
                System.out.println("   choice is " + ivr.choice() + ", expected sales");
                failures++;
            }
            var ivrCall = scenarios.history(ivr.callConnectionId()).orElseThrow();
            failures += expect(ivrCall, "state", ivrCall.state(), "disconnected");
            failures += expect(ivrCall, "participants", ivrCall.participants(), 3);

            System.out.println();
            System.out.println("Call history (select … from calls):");
            scenarios.printHistory(List.of(inbound.callConnectionId(), outbound.callConnectionId(), ivr.callConnectionId()))
                    .forEach(System.out::println);
            System.out.println();
            System.out.println("The IVR call's timeline (call_events and commands):");
            ivr.timeline().forEach(System.out::println);
        }
        System.out.println();
        System.out.println(failures == 0 ? "demo passed" : "demo FAILED: " + failures + " unexpected value(s)");
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int check(CallOutcome call, String direction, String from, String to) {
        int failures = 0;
        failures += expect(call, "direction", call.direction(), direction);
        failures += expect(call, "state", call.state(), "disconnected");
        failures += expect(call, "from", call.fromRawId(), from);
        failures += expect(call, "to", call.toRawIds(), to);
        failures += expect(call, "end subCode", call.endSubCode(), 7000);
        failures += call.participants() >= 1 ? 0 : expect(call, "participants", call.participants(), ">= 1");
        System.out.println("   " + call.callConnectionId() + ": " + (failures == 0 ? "as expected" : failures + " unexpected"));
        return failures;
    }

    private static int expect(CallOutcome call, String what, Object actual, Object expected) {
        if (expected.equals(actual)) {
            return 0;
        }
        System.out.println("   " + call.callConnectionId() + ": " + what + " is " + actual + ", expected " + expected);
        return 1;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
