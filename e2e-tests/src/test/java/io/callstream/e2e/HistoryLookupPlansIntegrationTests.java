package io.callstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lookups command-service makes in {@code call_events} for every call stay lookups of that
 * call's rows however much history the table holds, and its connections plan every statement with
 * its parameters in hand. PostgreSQL's generic plan (the one a prepared statement settles on after
 * five runs) is read on a temporary copy of the table, made with its indexes, filled with a busy
 * stack's history and analyzed. The copy is dropped at the end, so the stack's own history and
 * statistics are untouched.
 */
@ExtendWith(StackExtension.class)
class HistoryLookupPlansIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An answered leg takes its caller and callee from the ringing call's IncomingCall, found by
     * serverCallId (CallRepository's INCOMING_FROM and INCOMING_TO). With a million events of which
     * 3,000 were IncomingCalls ({@code make bench}), the plan read every stored IncomingCall and
     * filtered on serverCallId: 1.5–5.5 ms per lookup, growing with history.
     */
    @Test
    void anAnsweredLegsIncomingCallIsFoundByItsServerCallIdWithoutReadingEveryStoredIncomingCall(StackClient client) throws Exception {
        List<JsonNode> scans = genericPlanScans(client, """
                select e.payload -> 'from' ->> 'rawId' from history e
                where e.event_type = 'Microsoft.Communication.IncomingCall' and e.server_call_id = $1 limit 1""");

        assertThat(scans).singleElement().satisfies(scan -> {
            assertThat(scan.path("Node Type").asText()).isEqualTo("Index Scan");
            assertThat(scan.path("Index Cond").asText()).isEqualTo("(server_call_id = $1)");
            assertThat(scan.path("Filter").isMissingNode()).as("rows read and then dropped: %s", scan).isTrue();
        });
    }

    /** RejectCall and RedirectCall find who is calling by the ringing call's incomingCallContext (CommandRepository.callerOf). */
    @Test
    void aRingingCallsCallerIsFoundByItsIncomingCallContextWithoutReadingEveryStoredIncomingCall(StackClient client) throws Exception {
        List<JsonNode> scans = genericPlanScans(client, """
                select payload -> 'from' ->> 'rawId' from history
                where event_type = 'Microsoft.Communication.IncomingCall' and payload ->> 'incomingCallContext' = $1 limit 1""");

        assertThat(scans).singleElement().satisfies(scan -> {
            assertThat(scan.path("Node Type").asText()).isEqualTo("Index Scan");
            assertThat(scan.path("Index Cond").asText()).isEqualTo("((payload ->> 'incomingCallContext'::text) = $1)");
            assertThat(scan.path("Filter").isMissingNode()).as("rows read and then dropped: %s", scan).isTrue();
        });
    }

    /**
     * command-service's pool opens its connections with {@code plan_cache_mode = force_custom_plan}
     * (its {@code spring.datasource.hikari.data-source-properties.options}), which
     * {@code CallRepositoryPlansIntegrationTests} shows its per-batch lookups need while a table has
     * no statistics.
     */
    @Test
    void commandServicesConnectionsPlanEveryStatementWithItsParameters(LocalStack stack) throws Exception {
        try (Connection db = stack.commandService().getBean(DataSource.class).getConnection(); Statement sql = db.createStatement();
             ResultSet mode = sql.executeQuery("show plan_cache_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualTo("force_custom_plan");
        }
    }

    /**
     * The nodes that read {@code history} in the generic plan of {@code lookup} (one text parameter,
     * {@code $1}), with {@code history} a copy of {@code call_events} and its indexes holding 100,000
     * events of 20 types, six to a call, one in 300 an IncomingCall: the shape of the bench's history.
     */
    private static List<JsonNode> genericPlanScans(StackClient client, String lookup) throws Exception {
        try (Connection db = client.database(); Statement sql = db.createStatement()) {
            // One transaction, rolled back: the copy and the plan setting go with it, the prepared statement with the connection.
            db.setAutoCommit(false);
            try {
                sql.execute("create temp table history (like call_events including all) on commit drop");
                sql.execute("""
                        insert into history (source, event_id, event_type, server_call_id, kafka_topic, kafka_partition, kafka_offset, payload)
                        select 'history', 'event-' || n,
                               case when n % 300 = 0 then 'Microsoft.Communication.IncomingCall' else 'Microsoft.Communication.Kind' || n % 19 end,
                               'server-call-' || n / 6, 'acs.callbacks', 0, n,
                               case when n % 300 = 0 then jsonb_build_object('incomingCallContext', 'context-' || n) else '{}' end
                        from generate_series(1, 100000) n""");
                sql.execute("analyze history");
                sql.execute("prepare lookup(text) as " + lookup);
                sql.execute("set local plan_cache_mode = force_generic_plan");
                try (ResultSet rs = sql.executeQuery("explain (format json) execute lookup('any')")) {
                    assertThat(rs.next()).isTrue();
                    List<JsonNode> scans = new ArrayList<>();
                    collect(JSON.readTree(rs.getString(1)).get(0).get("Plan"), scans);
                    return scans;
                }
            } finally {
                db.rollback();
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> scans) {
        if ("history".equals(node.path("Relation Name").asText())) {
            scans.add(node);
        }
        node.path("Plans").forEach(child -> collect(child, scans));
    }
}
