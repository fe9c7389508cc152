package io.callstream.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The local stack's PostgreSQL, a real server from zonky's binaries, as {@code make run} and the bench start it. */
class LocalPostgresIntegrationTests {

    @TempDir
    static Path dir;
    private static Path logs;
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        logs = dir.resolve("logs/postgres-server");
        postgres = LocalPostgres.start(Map.of("DATA_DIR", dir.resolve("data").toString(), "LOG_DIR", logs.toString(),
                "PORT", String.valueOf(freePort())));
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void keepsRealHistoryWithFsyncAndSynchronousCommitOnAndLogsCheckpoints() throws SQLException {
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement();
             ResultSet settings = sql.executeQuery("select name, setting from pg_settings where name in "
                     + "('fsync', 'synchronous_commit', 'full_page_writes', 'log_checkpoints', 'logging_collector') order by name")) {
            List<String> values = new ArrayList<>();
            while (settings.next()) {
                values.add(settings.getString(1) + "=" + settings.getString(2));
            }
            assertThat(values).containsExactly("fsync=on", "full_page_writes=on", "log_checkpoints=on", "logging_collector=on",
                    "synchronous_commit=on");
        }
    }

    @Test
    void theCallstreamRoleLogsInToItsDatabase() throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/callstream",
                "callstream", "callstream"); ResultSet who = db.createStatement().executeQuery("select current_user, current_database()")) {
            who.next();
            assertThat(who.getString(1) + "@" + who.getString(2)).isEqualTo("callstream@callstream");
        }
    }

    /** The bench times checkpoints from these lines (LatencyBench.checkpoints): the default prefix, then the message. */
    @Test
    void writesItsCheckpointsToLogDirInTheFormTheBenchReads() throws SQLException {
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement()) {
            sql.execute("create table if not exists written (n int)");
            sql.execute("insert into written select generate_series(1, 1000)");
            sql.execute("checkpoint");
        }
        assertThat(LocalPostgres.logDirectory(postgres)).isEqualTo(logs.toString());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logLines())
                .anyMatch(line -> line.matches("^\\S+ \\S+ UTC \\[\\d+\\] LOG:  checkpoint starting: immediate force wait$"))
                .anyMatch(line -> line.matches("^\\S+ \\S+ UTC \\[\\d+\\] LOG:  checkpoint complete: wrote \\d+ buffers .*"
                        + "write=\\S+ s, sync=\\S+ s.*longest=\\S+ s.*")));
    }

    private static List<String> logLines() throws IOException {
        try (Stream<Path> files = Files.list(logs)) {
            return files.flatMap(file -> {
                try {
                    return Files.readAllLines(file).stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
