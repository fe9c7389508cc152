package io.callstream.bench;

import io.callstream.e2e.processes.ChildProcess;
import io.callstream.e2e.processes.ProcessStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What {@link Pauses} reads from JDK 25's safepoint log lines, and that the stack's JVMs write them. */
class PausesTests {

    private static final Instant FROM = Instant.parse("2026-12-06T03:14:30Z");
    private static final Instant TO = Instant.parse("2026-12-06T03:14:40Z");

    /** A safepoint line as {@code -Xlog:safepoint:file=…:utctime} writes it, ending at {@code end} after {@code nanos}. */
    private static String line(String end, String operation, long nanos) {
        return "[%s] Safepoint \"%s\", Time since last: 560862707 ns, Reaching safepoint: 4959 ns, At safepoint: %d ns, "
                .formatted(end, operation, nanos - 25870) + "Leaving safepoint: 20911 ns, Total: %d ns, Threads: 0 runnable, 10 total"
                .formatted(nanos);
    }

    @Test
    void eachProcessesPausesDuringTheLoadAreCountedSummedAndTheLongestNamedMostPausedFirst() {
        List<Pauses.Pause> pauses = List.of(
                // Began 20 ms before the load and ended in it: it held up the load.
                new Pauses.Pause("kafka", Instant.parse("2026-12-06T03:14:30.010Z"), Duration.ofMillis(30), "G1CollectForAllocation"),
                new Pauses.Pause("ingress-service", Instant.parse("2026-12-06T03:14:31Z"), Duration.ofMillis(13), "G1CollectForAllocation"),
                new Pauses.Pause("ingress-service", Instant.parse("2026-12-06T03:14:35Z"), Duration.ofMillis(49), "G1PauseRemark"),
                new Pauses.Pause("ingress-service", Instant.parse("2026-12-06T03:14:36Z"), Duration.ofMillis(8), "G1CollectForAllocation"),
                // Shorter than a millisecond: left out.
                new Pauses.Pause("command-service", Instant.parse("2026-12-06T03:14:32Z"), Duration.ofNanos(900_000), "Cleanup"),
                // Before and after the load: left out.
                new Pauses.Pause("command-service", Instant.parse("2026-12-06T03:14:29.900Z"), Duration.ofMillis(90), "G1CollectForAllocation"),
                new Pauses.Pause("command-service", Instant.parse("2026-12-06T03:14:40.100Z"), Duration.ofMillis(90), "G1CollectForAllocation"));

        assertThat(Pauses.summary(pauses, FROM, TO)).isEqualTo(
                "ingress-service 3 (70 ms in all, longest 49 ms: G1PauseRemark); kafka 1 (30 ms: G1CollectForAllocation)");
    }

    @Test
    void aLoadWithoutPausesOfAMillisecondSaysSo() {
        assertThat(Pauses.summary(List.of(), FROM, TO)).isEqualTo("none of 1 ms or more");
    }

    @Test
    void theLogsOfOneProcessesJvmsAreReadUnderItsNameAndOtherFilesAreSkipped(@TempDir Path logs) throws IOException {
        Files.writeString(logs.resolve("kafka-safepoints-4711.log"), String.join("\n",
                "[2026-12-06T03:14:31.000+0000] Using G1",
                line("2026-12-06T03:14:31.500+0000", "G1CollectForAllocation", 11_014_686)));
        // The broker's start script runs StorageTool in a JVM of its own first.
        Files.writeString(logs.resolve("kafka-safepoints-4702.log"), line("2026-12-06T03:14:20.000+0000", "G1CollectFull", 22_924_336));
        Files.writeString(logs.resolve("kafka.log"), line("2026-12-06T03:14:32.000+0000", "G1CollectFull", 99_000_000));

        assertThat(Pauses.read(logs)).containsExactlyInAnyOrder(
                new Pauses.Pause("kafka", Instant.parse("2026-12-06T03:14:31.500Z"), Duration.ofNanos(11_014_686), "G1CollectForAllocation"),
                new Pauses.Pause("kafka", Instant.parse("2026-12-06T03:14:20Z"), Duration.ofNanos(22_924_336), "G1CollectFull"));
        assertThat(Pauses.read(logs.resolve("missing"))).isEmpty();
    }

    /** Collects the heap once, a safepoint that every JVM logs. */
    public static final class CollectOnce {
        public static void main(String[] args) {
            System.gc();
        }
    }

    @Test
    void aJvmTheStackStartsLogsItsSafepointsWhereTheBenchReadsThem(@TempDir Path workDir) throws IOException {
        // The stack only names the other processes' jars until it starts them; PostgreSQL's classpath it reads up front.
        Files.writeString(Files.createDirectories(workDir.resolve("infra/postgres/target")).resolve("classpath.txt"), "");
        ProcessStack stack = new ProcessStack(workDir, workDir, Map.of());
        Instant before = Instant.now().minusSeconds(1);
        ChildProcess probe = stack.javaProcess("probe", System.getProperty("java.class.path"), CollectOnce.class.getName(), Map.of());
        probe.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> !probe.isAlive());

        List<Pauses.Pause> pauses = Pauses.read(stack.logs());
        assertThat(pauses).as("safepoints in %s", stack.logs()).isNotEmpty()
                .allSatisfy(p -> assertThat(p.process()).isEqualTo("probe"))
                .anySatisfy(p -> assertThat(p.operation()).contains("Collect"));
        assertThat(pauses).allSatisfy(p -> assertThat(p.end()).isBetween(before, Instant.now()));
    }
}
