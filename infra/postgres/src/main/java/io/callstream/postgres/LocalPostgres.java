package io.callstream.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * PostgreSQL 17 for {@code make run}: a real server process from zonky's Maven binaries, on
 * 127.0.0.1:{@code PORT} (15432), its data in {@code DATA_DIR} (.local/postgres) kept across
 * restarts, with {@code fsync} and {@code synchronous_commit} on (zonky turns them off by default;
 * the local stack keeps real history). The server's own log (its logging collector's files, with
 * {@code log_checkpoints}, on by default since PostgreSQL 15) goes to {@code LOG_DIR}, by default
 * {@code log} inside the data directory; zonky keeps none of the server's output after start.
 * Creates the role and database {@code callstream}
 * (password {@code callstream}) on first start. Runs until it is stopped (SIGTERM or Ctrl-C),
 * then shuts the server down cleanly.
 */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    /**
     * Starts the server as configured by {@code environment} ({@code PORT}, {@code DATA_DIR},
     * {@code LOG_DIR}, as above) and creates the {@code callstream} role and database if they are
     * missing.
     *
     * @return the running server; closing it shuts the server down
     * @throws java.io.IOException if the data or log directory cannot be made, or the server does not start
     * @throws java.sql.SQLException if the role or database cannot be created
     */
    static EmbeddedPostgres start(Map<String, String> environment) throws Exception {
        int port = Integer.parseInt(environment.getOrDefault("PORT", "15432"));
        Path data = Path.of(environment.getOrDefault("DATA_DIR", ".local/postgres")).toAbsolutePath();
        Files.createDirectories(data);
        Path logs = Path.of(environment.getOrDefault("LOG_DIR", data.resolve("log").toString())).toAbsolutePath();
        Files.createDirectories(logs);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_directory", logs.toString())
                .start();
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement()) {
            try (ResultSet role = sql.executeQuery("select 1 from pg_roles where rolname = 'callstream'")) {
                if (!role.next()) {
                    sql.execute("create role callstream login password 'callstream'");
                }
            }
            try (ResultSet database = sql.executeQuery("select 1 from pg_database where datname = 'callstream'")) {
                if (!database.next()) {
                    sql.execute("create database callstream owner callstream");
                }
            }
        }
        return postgres;
    }

    /** The server's {@code log_directory}, as it reports it. */
    static String logDirectory(EmbeddedPostgres postgres) throws java.sql.SQLException {
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement();
             ResultSet setting = sql.executeQuery("show log_directory")) {
            setting.next();
            return setting.getString(1);
        }
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = start(System.getenv());
        System.out.println("PostgreSQL ready on 127.0.0.1:" + postgres.getPort() + " (its log in " + logDirectory(postgres) + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }));
        stopped.await();
    }
}
