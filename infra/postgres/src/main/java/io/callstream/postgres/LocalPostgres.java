package io.callstream.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * PostgreSQL 17 for {@code make run}: a real server process from zonky's Maven binaries, on
 * 127.0.0.1:{@code PORT} (15432), its data in {@code DATA_DIR} (.local/postgres) kept across
 * restarts, with {@code fsync} and {@code synchronous_commit} on (zonky turns them off by default;
 * the local stack keeps real history). Creates the role and database {@code callstream}
 * (password {@code callstream}) on first start. Runs until it is stopped (SIGTERM or Ctrl-C),
 * then shuts the server down cleanly.
 */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "15432"));
        Path data = Path.of(System.getenv().getOrDefault("DATA_DIR", ".local/postgres")).toAbsolutePath();
        Files.createDirectories(data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "127.0.0.1")
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
        System.out.println("PostgreSQL ready on 127.0.0.1:" + port + " (data in " + data + ")");
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
