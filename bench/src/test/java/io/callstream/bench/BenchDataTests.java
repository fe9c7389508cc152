package io.callstream.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What a finished bench run leaves in its directory: the logs, not the stack's data. */
class BenchDataTests {

    @Test
    void aRunsDataIsDeletedAndItsLogsAreKept(@TempDir Path workDir) throws IOException {
        Files.writeString(Files.createDirectories(workDir.resolve("logs")).resolve("kafka.log"), "started");
        Files.writeString(Files.createDirectories(workDir.resolve("kafka/logs/acs.callbacks-0")).resolve("00000000000000000000.log"), "records");
        Files.writeString(Files.createDirectories(workDir.resolve("postgres/base")).resolve("16384"), "rows");
        Files.writeString(workDir.resolve("callbacks.jsonl"), "{}");

        Bench.deleteData(workDir);

        try (var left = Files.list(workDir)) {
            assertThat(left).containsExactly(workDir.resolve("logs"));
        }
        assertThat(workDir.resolve("logs/kafka.log")).hasContent("started");
    }
}
