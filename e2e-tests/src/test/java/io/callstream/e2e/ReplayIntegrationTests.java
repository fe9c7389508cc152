package io.callstream.e2e;

import io.callstream.command.replay.Replay;
import io.callstream.command.replay.Replayer;
import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code make replay}: the projections rebuilt from the Kafka log equal the live ones row for row
 * (leaving out the columns that say when callstream wrote a row), and the swap puts the rebuilt
 * schema in place of the live one, which the service then carries on with. A replay refuses to
 * run while command-service consumes.
 */
@ExtendWith(StackExtension.class)
class ReplayIntegrationTests {

    /** Columns that record when callstream wrote a row, not what the log says. */
    private static final Set<String> WRITE_TIMES = Set.of("call_events.received_at", "calls.created_at", "calls.updated_at",
            "participants.updated_at", "commands.received_at", "commands.accepted_at", "commands.ended_at", "commands.updated_at",
            "recordings.updated_at");

    /** Each projection, and how to pick the scenario's rows from it (? = the legs, then the server calls). */
    private static final Map<String, String> TABLES = Map.of(
            "calls", "call_connection_id = any(?) or server_call_id = any(?)",
            "participants", "call_connection_id = any(?) and ? is not null",
            "call_events", "call_connection_id = any(?) or server_call_id = any(?)",
            "commands", "call_connection_id = any(?) or server_call_id = any(?)",
            "recordings", "? is not null and server_call_id = any(?)",
            "dtmf_tones", "call_connection_id = any(?) and ? is not null",
            "recognized_inputs", "call_connection_id = any(?) and ? is not null");

    @Test
    void theProjectionsRebuiltFromTheLogEqualTheLiveOnesAndSwapIn(StackClient client, LocalStack stack) throws Exception {
        CallScenarios scenarios = new CallScenarios(client);
        List<String> legs = new ArrayList<>();
        legs.add(scenarios.inboundAnsweredThenHungUp("+14255550161").callConnectionId());
        legs.add(scenarios.outboundCreatedThenHungUp("+14255550162").callConnectionId());
        CallScenarios.IvrOutcome ivr = scenarios.ivr("+14255550163", "one");
        legs.add(ivr.callConnectionId());
        stack.awaitConsumed();
        KafkaListenerEndpointRegistry consumers = stack.commandService().getBean(KafkaListenerEndpointRegistry.class);

        assertThatThrownBy(() -> Replay.run("replay_refused", replayArgs(stack, false)))
                .hasMessageContaining("command-service is running");

        consumers.stop();
        try {
            awaitNoMembers(stack);
            String schema = "replay_" + Long.toString(System.nanoTime(), 36);
            Replayer.Report report = Replay.run(schema, replayArgs(stack, false));

            assertThat(report.swapped()).isFalse();
            assertThat(report.recordsByTopic().values()).allMatch(n -> n > 0);
            try (Connection db = client.database()) {
                List<String> serverCalls = column(db, "select server_call_id from calls where call_connection_id = any(?)", legs);
                for (var table : TABLES.entrySet()) {
                    List<String> live = rows(db, "public", table.getKey(), table.getValue(), legs, serverCalls);
                    List<String> rebuilt = rows(db, schema, table.getKey(), table.getValue(), legs, serverCalls);
                    assertThat(rebuilt).as(table.getKey()).containsExactlyInAnyOrderElementsOf(live);
                }
                assertThat(rows(db, "public", "calls", TABLES.get("calls"), legs, serverCalls)).hasSize(3);
                assertThat(rows(db, "public", "recordings", TABLES.get("recordings"), legs, serverCalls)).hasSize(1);
                db.createStatement().execute("drop schema " + schema + " cascade");
            }

            String swapped = "replay_" + Long.toString(System.nanoTime(), 36);
            assertThat(Replay.run(swapped, replayArgs(stack, true)).swapped()).isTrue();
            try (Connection db = client.database()) {
                assertThat(column(db, "select nspname from pg_namespace where nspname = ?", List.of("public_before_" + swapped))).hasSize(1);
                assertThat(column(db, "select call_connection_id from public.calls where call_connection_id = any(?)", legs)).hasSize(3);
            }
        } finally {
            consumers.start();
        }
        // The service carries on in the swapped-in schema.
        String after = scenarios.outboundCreatedThenHungUp("+14255550164").callConnectionId();
        assertThat(scenarios.history(after)).get().extracting(CallScenarios.CallOutcome::state).isEqualTo("disconnected");
    }

    private static String[] replayArgs(LocalStack stack, boolean swap) {
        List<String> args = new ArrayList<>(stack.commandServiceArgs());
        args.add("--callstream.replay.swap=" + swap);
        return args.toArray(String[]::new);
    }

    private static void awaitNoMembers(LocalStack stack) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            Awaitility.await("command-service left its group").atMost(Duration.ofSeconds(30)).until(() ->
                    admin.describeConsumerGroups(List.of(stack.commandServiceGroup())).all().get()
                            .get(stack.commandServiceGroup()).members().isEmpty());
        }
    }

    /** The scenario's rows of one table in one schema, each as its values (write times left out) joined by |. */
    private static List<String> rows(Connection db, String schema, String table, String filter, List<String> legs,
                                     List<String> serverCalls) throws SQLException {
        List<String> columns = column(db, """
                select column_name from information_schema.columns where table_schema = 'public' and table_name = ? order by ordinal_position""",
                List.of(table)).stream().filter(c -> !WRITE_TIMES.contains(table + "." + c)).toList();
        String sql = "select " + String.join(", ", columns.stream().map(c -> "cast(" + c + " as text)").toList())
                + " from " + schema + "." + table + " where " + filter;
        List<String> rows = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setArray(1, db.createArrayOf("text", legs.toArray()));
            Array second = db.createArrayOf("text", serverCalls.toArray());
            q.setArray(2, second);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        values.add(columns.get(i - 1) + "=" + rs.getString(i));
                    }
                    rows.add(String.join("|", values));
                }
            }
        }
        return rows;
    }

    private static List<String> column(Connection db, String sql, List<String> parameter) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement(sql)) {
            if (sql.contains("any(?)")) {
                q.setArray(1, db.createArrayOf("text", parameter.toArray()));
            } else {
                q.setString(1, parameter.getFirst());
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
