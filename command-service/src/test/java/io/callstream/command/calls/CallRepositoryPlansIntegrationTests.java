package io.callstream.command.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans PostgreSQL runs {@link CallRepository}'s per-batch reads with, while its tables have
 * no statistics: a new database or a replay's new schema, before autovacuum first analyzes them
 * (off on this server, so it never does). Each read must stay a primary-key probe per leg as the
 * table grows from a thousand calls to a hundred thousand, on a real PostgreSQL 17 (zonky's), over
 * a connection opened with the {@code options} command-service's configuration gives its pool
 * ({@code HistoryLookupPlansIntegrationTests} checks that the running service's pool has them).
 */
class CallRepositoryPlansIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedPostgres postgres;
    private static String options;

    private SingleConnectionDataSource dataSource;
    private CallRepository repository;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("autovacuum", "off").start();
        options = (String) new YamlPropertySourceLoader().load("command-service", new ClassPathResource("command-service.yaml")).getFirst()
                .getProperty("spring.datasource.hikari.data-source-properties.options");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    /** A new database with command-service's schema, and one connection to it as command-service opens them. */
    @BeforeEach
    void newDatabase() throws SQLException {
        String database = "plans_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = postgres.getPostgresDatabase().getConnection(); Statement sql = admin.createStatement()) {
            sql.execute("create database " + database);
        }
        String url = postgres.getJdbcUrl("postgres", database);
        Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").load().migrate();
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        if (options != null) {
            properties.setProperty("options", options);
        }
        dataSource = new SingleConnectionDataSource(DriverManager.getConnection(url, properties), true);
        repository = new CallRepository(JdbcClient.create(dataSource), new JdbcTemplate(dataSource));
    }

    @AfterEach
    void closeConnection() {
        dataSource.destroy();
    }

    /**
     * In {@code make bench} the participants lookup read the whole table: 5–10 ms a batch within a
     * million events, growing with every call projected.
     */
    @Test
    void aBatchsParticipantsAreReadByKeyOnceTheTableHasGrownAHundredfold() throws Exception {
        addCalls(0, 1_000);
        List<String> batch = legs(400, 63);
        for (int run = 0; run < 10; run++) {
            assertThat(repository.participants(batch)).hasSize(63).allSatisfy((leg, participants) -> assertThat(participants).hasSize(2));
        }
        addCalls(1_000, 100_000);

        assertThat(scans(planOf("from participants", batch), "participants")).singleElement()
                .satisfies(scan -> assertThat(indexOf(scan)).as("%s", scan).isEqualTo("participants_pkey"));
    }

    /** Without {@code force_custom_plan} the plan made for the first thousand calls kept reading them all. */
    @Test
    void aBatchsLegsAreLockedByKeyOnceTheTableHasGrownAHundredfold() throws Exception {
        addCalls(0, 1_000);
        List<String> batch = legs(400, 63);
        for (int run = 0; run < 10; run++) {
            assertThat(repository.lock(batch)).hasSize(63);
        }
        addCalls(1_000, 100_000);

        assertThat(scans(planOf("from calls where", batch), "calls")).singleElement()
                .satisfies(scan -> assertThat(indexOf(scan)).as("%s", scan).isEqualTo("calls_pkey"));
    }

    /** Calls {@code leg-from} to {@code leg-(to - 1)}, each with two participants. */
    private void addCalls(int from, int to) throws SQLException {
        try (Statement sql = dataSource.getConnection().createStatement()) {
            sql.execute("insert into calls (call_connection_id, state) select 'leg-' || n, 'connected' from generate_series(%d, %d) n"
                    .formatted(from, to - 1));
            sql.execute("""
                    insert into participants (call_connection_id, raw_id, joined_at)
                    select 'leg-' || n, raw_id, now() from generate_series(%d, %d) n, unnest(array['caller', 'callee']) raw_id"""
                    .formatted(from, to - 1));
        }
    }

    private static List<String> legs(int first, int count) {
        return IntStream.range(first, first + count).mapToObj(n -> "leg-" + n).toList();
    }

    /**
     * The plan of the statement the repository prepared on this connection whose text holds
     * {@code marker}, as PostgreSQL would run it now for {@code legs}: the plan it keeps for the
     * prepared statement (pgjdbc prepares a statement on the server from its fifth run), or a new
     * one where the connection plans every run.
     */
    private JsonNode planOf(String marker, List<String> legs) throws Exception {
        try (Statement sql = dataSource.getConnection().createStatement()) {
            String name;
            try (ResultSet prepared = sql.executeQuery("select name from pg_prepared_statements where statement like '%" + marker + "%'")) {
                assertThat(prepared.next()).as("a prepared statement %s", marker).isTrue();
                name = prepared.getString(1);
                assertThat(prepared.next()).as("one prepared statement %s", marker).isFalse();
            }
            try (ResultSet plan = sql.executeQuery("explain (format json) execute \"%s\"('{%s}')".formatted(name, String.join(",", legs)))) {
                assertThat(plan.next()).isTrue();
                return JSON.readTree(plan.getString(1)).get(0).get("Plan");
            }
        }
    }

    /** The plan's nodes that read {@code table}. */
    private static List<JsonNode> scans(JsonNode plan, String table) {
        List<JsonNode> scans = new ArrayList<>();
        collect(plan, table, scans);
        return scans;
    }

    /** The index a scan finds its rows by (a bitmap heap scan's by its bitmap index scan), or {@code null} for a sequential scan. */
    private static String indexOf(JsonNode scan) {
        JsonNode byIndex = scan.path("Node Type").asText().equals("Bitmap Heap Scan") ? scan.path("Plans").path(0) : scan;
        return byIndex.hasNonNull("Index Name") ? byIndex.get("Index Name").asText() : null;
    }

    private static void collect(JsonNode node, String table, List<JsonNode> scans) {
        if (table.equals(node.path("Relation Name").asText())) {
            scans.add(node);
        }
        node.path("Plans").forEach(child -> collect(child, table, scans));
    }
}
