package io.callstream.e2e.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A real PostgreSQL for tests: a Testcontainers container when a Docker engine answers, else
 * zonky's embedded PostgreSQL 17 (a real server process from Maven binaries). Either way the
 * tests run the same; nothing is skipped without Docker.
 */
interface TestPostgres extends AutoCloseable {

    Logger LOG = LoggerFactory.getLogger(TestPostgres.class);

    String jdbcUrl();

    String user();

    String password();

    @Override
    void close();

    static TestPostgres start() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        if (docker) {
            LOG.info("PostgreSQL: Testcontainers (Docker is available)");
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
            container.start();
            return new TestPostgres() {
                public String jdbcUrl() { return container.getJdbcUrl(); }
                public String user() { return container.getUsername(); }
                public String password() { return container.getPassword(); }
                public void close() { container.stop(); }
            };
        }
        LOG.info("PostgreSQL: embedded server (no Docker engine)");
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new TestPostgres() {
                public String jdbcUrl() { return postgres.getJdbcUrl("postgres", "postgres"); }
                public String user() { return "postgres"; }
                public String password() { return "postgres"; }
                public void close() {
                    try {
                        postgres.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }
}
