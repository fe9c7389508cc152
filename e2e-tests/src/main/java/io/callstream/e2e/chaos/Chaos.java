package io.callstream.e2e.chaos;

import io.callstream.e2e.StackClient;
import io.callstream.e2e.processes.ProcessStack;
import io.callstream.events.Topics;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code make chaos}: breaks the stack on purpose and proves that nothing is lost or doubled.
 * Starts its own stack of separate processes ({@link ProcessStack}) and runs four scenarios:
 * <ol>
 *   <li>the Kafka broker is stopped and restarted under a steady stream of deliveries;</li>
 *   <li>command-service is killed with SIGKILL twice while it projects a backlog and handles commands;</li>
 *   <li>PostgreSQL is stopped and restarted under deliveries and commands;</li>
 *   <li>the emulator throttles (429 with Retry-After), fails (503) and answers late while commands run.</li>
 * </ol>
 * Prints one table row per scenario (also written to {@code target/chaos/results-<date>.md}) and
 * exits 1 when any scenario lost or doubled anything, left a command unfinished, or made ACS act
 * twice. Each scenario is bounded in time (about a minute, four at most) and the stack is stopped
 * at the end, by PID, whatever happens.
 */
public final class Chaos {

    private static final Duration SETTLE = Duration.ofMinutes(2);

    private final ProcessStack stack;
    private final StackClient client;
    private final String run = "chaos-" + Long.toString(System.currentTimeMillis(), 36) + "-";
    private final java.util.concurrent.atomic.AtomicInteger commandNumber = new java.util.concurrent.atomic.AtomicInteger();

    private Chaos(ProcessStack stack, StackClient client) {
        this.stack = stack;
        this.client = client;
    }

    /** One scenario's figures; see the README's Guarantees section for what each column means. */
    record Row(String scenario, long deliveries, long ok, long notOk, long accepted, long kafkaRecords, long rows,
               long duplicates, long lost, long commandsSent, long acsRequests, long acsDuplicates, List<String> problems) {

        boolean passed() {
            return problems.isEmpty();
        }
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path workDir = Files.createDirectories(root.resolve("e2e-tests/target/chaos"));
        Path runDir = Files.createTempDirectory(workDir, "run-");
        List<Row> rows = new ArrayList<>();
        try (ProcessStack stack = new ProcessStack(root, runDir, Map.of())) {
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
            System.out.println("Starting the stack as separate processes (logs in " + runDir.resolve("logs") + ") …");
            stack.start();
            try (StackClient client = new StackClient(stack.endpoints())) {
                Chaos chaos = new Chaos(stack, client);
                chaos.warmUp();
                rows.add(chaos.scenario("Kafka broker stopped 5 s and restarted", chaos::brokerRestart));
                rows.add(chaos.scenario("command-service killed (SIGKILL) mid-batch, twice", chaos::commandServiceKilled));
                rows.add(chaos.scenario("PostgreSQL stopped 5 s and restarted", chaos::postgresRestart));
                rows.add(chaos.scenario("ACS answers 429/503 with Retry-After, and late", chaos::acsFaults));
            }
        }
        String table = table(rows);
        System.out.println();
        System.out.println(table);
        Path results = workDir.resolve("results-" + LocalDate.now() + ".md");
        Files.writeString(results, table, StandardCharsets.UTF_8);
        System.out.println("(written to " + root.relativize(results) + ")");
        boolean passed = rows.stream().allMatch(Row::passed);
        if (passed) {
            // The logs stay for reading; the data of a passing run is of no further use.
            for (String data : List.of("kafka", "postgres", "emulator")) {
                deleteRecursively(runDir.resolve(data));
            }
        }
        System.out.println(passed ? "make chaos: PASS, nothing lost, nothing doubled" : "make chaos: FAIL");
        System.exit(passed ? 0 : 1);
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private Row scenario(String name, Supplier<Row> scenario) {
        System.out.println("▶ " + name);
        Instant started = Instant.now();
        Row row = scenario.get();
        Row named = new Row(name, row.deliveries(), row.ok(), row.notOk(), row.accepted(), row.kafkaRecords(), row.rows(),
                row.duplicates(), row.lost(), row.commandsSent(), row.acsRequests(), row.acsDuplicates(), row.problems());
        System.out.printf("  %s in %d s%s%n", named.passed() ? "passed" : "FAILED", Duration.between(started, Instant.now()).toSeconds(),
                named.passed() ? "" : ": " + String.join("; ", named.problems()));
        return named;
    }

    // ------------------------------------------------------------------------------ scenarios

    /** Sends 2,000 deliveries and waits for them, so that the first scenario meets warm services. */
    private void warmUp() {
        DeliveryLoad load = new DeliveryLoad(stack.ingressUrl(), stack.eventGridSecret(), run + "warm-up-");
        Instant start = Instant.now();
        load.run(8, start.plusSeconds(60), 2_000, start.plusSeconds(90));
        awaitRows(load, load.accepted.size());
    }

    private Row brokerRestart() {
        Map<String, Long> acsBefore = client.acsRequests();
        DeliveryLoad load = new DeliveryLoad(stack.ingressUrl(), stack.eventGridSecret(), run + "broker-");
        Instant start = Instant.now();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
                load.run(8, start.plusSeconds(20), Long.MAX_VALUE, start.plusSeconds(80)));
        ProcessStack.sleep(Duration.ofSeconds(5));
        stack.kafka.stop();
        ProcessStack.sleep(Duration.ofSeconds(5));
        stack.startKafka();
        sending.join();
        List<String> problems = new ArrayList<>();
        if (load.notOk.get() == 0) {
            problems.add("no delivery was refused while the broker was down: the fault did not bite");
        }
        return verify(load, List.of(), acsBefore, problems);
    }

    private Row commandServiceKilled() {
        Map<String, Long> acsBefore = client.acsRequests();
        stack.commandService.stop();
        DeliveryLoad load = new DeliveryLoad(stack.ingressUrl(), stack.eventGridSecret(), run + "kill-");
        Instant start = Instant.now();
        load.run(8, start.plusSeconds(60), 12_000, start.plusSeconds(90));
        long total = load.accepted.size();
        List<String> commands = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        stack.startCommandService();
        long lastKill = 0;
        for (double share : new double[] {0.2, 0.6}) {
            // The commands first, so that the kill follows the share closely: projection outruns 15 publishes.
            commands.addAll(createCalls("kill", 15));
            long projected = awaitRows(load, Math.max((long) (total * share), lastKill + 1));
            ProcessStack.sleep(Duration.ofMillis(150));
            long atKill = rows(load.idPrefix())[0];
            stack.commandService.kill();
            System.out.printf("  killed command-service at %d of %d events projected%n", atKill, total);
            lastKill = atKill;
            if (atKill >= total || projected == 0) {
                problems.add("the kill at " + atKill + " of " + total + " was not mid-projection");
            }
            stack.startCommandService();
        }
        return verify(load, commands, acsBefore, problems);
    }

    private Row postgresRestart() {
        Map<String, Long> acsBefore = client.acsRequests();
        DeliveryLoad load = new DeliveryLoad(stack.ingressUrl(), stack.eventGridSecret(), run + "postgres-");
        Instant start = Instant.now();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
                load.run(8, start.plusSeconds(12), Long.MAX_VALUE, start.plusSeconds(70)));
        ProcessStack.sleep(Duration.ofSeconds(2));
        stack.postgres.stop();
        List<String> commands = createCalls("postgres", 10);
        ProcessStack.sleep(Duration.ofSeconds(5));
        stack.startPostgres();
        sending.join();
        return verify(load, commands, acsBefore, new ArrayList<>());
    }

    private Row acsFaults() {
        Map<String, Long> acsBefore = client.acsRequests();
        client.injectFault("{\"status\":429,\"retryAfterSeconds\":1,\"count\":6}");
        List<String> commands = new ArrayList<>(createCalls("throttled", 10));
        ProcessStack.sleep(Duration.ofSeconds(3));
        client.injectFault("{\"status\":503,\"count\":6}");
        commands.addAll(createCalls("unavailable", 10));
        ProcessStack.sleep(Duration.ofSeconds(3));
        client.injectFault("{\"delayMs\":2500,\"count\":4}");
        commands.addAll(createCalls("late", 10));
        List<String> problems = new ArrayList<>();
        Row row = verify(null, commands, acsBefore, problems);
        client.clearFaults();
        Map<String, Long> acsAfter = client.acsRequests();
        if (acsAfter.get("faulted") - acsBefore.get("faulted") < 12) {
            problems.add("fewer than 12 requests were faulted: the faults did not bite");
        }
        return row;
    }

    // ------------------------------------------------------------------------------ checks

    /** Waits until everything accepted is projected and every command ended, then counts. */
    private Row verify(DeliveryLoad load, List<String> commandIds, Map<String, Long> acsBefore, List<String> problems) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            boolean projected = load == null || rows(load.idPrefix())[1] >= load.accepted.size();
            if (projected && unfinished(commandIds).isEmpty()) {
                break;
            }
            ProcessStack.sleep(Duration.ofMillis(500));
        }
        long deliveries = 0, ok = 0, notOk = 0, accepted = 0, kafkaRecords = 0, rowCount = 0, duplicates = 0, lost = 0;
        if (load != null) {
            deliveries = load.attempts.get();
            ok = load.ok.get();
            notOk = load.notOk.get();
            accepted = load.accepted.size();
            List<String> inKafka = client.readTopic(Topics.ACS_EVENTGRID).stream()
                    .map(r -> r.headers().lastHeader("ce_id")).filter(h -> h != null)
                    .map(Header::value).map(v -> new String(v, StandardCharsets.UTF_8))
                    .filter(id -> id.startsWith(load.idPrefix())).toList();
            kafkaRecords = inKafka.size();
            Set<String> kafkaIds = new HashSet<>(inKafka);
            long missingInKafka = load.accepted.stream().filter(id -> !kafkaIds.contains(id)).count();
            long[] counted = rows(load.idPrefix());
            rowCount = counted[0];
            duplicates = counted[0] - counted[1];
            Set<String> projected = projectedIds(load.idPrefix());
            lost = load.accepted.stream().filter(id -> !projected.contains(id)).count();
            if (missingInKafka > 0) {
                problems.add(missingInKafka + " deliveries answered 2xx are not in Kafka");
            }
            if (lost > 0) {
                problems.add(lost + " accepted events are not in call_events");
            }
            if (duplicates > 0) {
                problems.add(duplicates + " events are in call_events more than once");
            }
            if (!load.givenUp.isEmpty()) {
                problems.add(load.givenUp.size() + " deliveries never got a 2xx");
            }
        }
        Map<String, String> unfinished = unfinished(commandIds);
        if (!unfinished.isEmpty()) {
            problems.add(unfinished.size() + " commands did not end: " + unfinished);
        }
        Map<String, Long> acsAfter = client.acsRequests();
        long acsDuplicates = acsAfter.get("duplicates") - acsBefore.get("duplicates");
        if (acsDuplicates > 0) {
            problems.add("ACS acted twice on " + acsDuplicates + " requests");
        }
        return new Row("", deliveries, ok, notOk, accepted, kafkaRecords, rowCount, duplicates, lost, commandIds.size(),
                acsAfter.get("received") - acsBefore.get("received"), acsDuplicates, problems);
    }

    private long awaitRows(DeliveryLoad load, long atLeast) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long now = 0;
        while (System.nanoTime() < deadline && (now = rows(load.idPrefix())[0]) < atLeast) {
            ProcessStack.sleep(Duration.ofMillis(20));
        }
        return now;
    }

    /** CreateCall commands to fresh PSTN numbers; returns their commandIds. */
    private List<String> createCalls(String label, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String commandId = run + label + "-" + commandNumber.incrementAndGet();
            client.publishCommand(commandId, """
                    {"type":"CreateCall","commandId":"%s","targets":[{"phoneNumber":"+1425555%04d"}],"sourceCallerIdNumber":"+14255550100"}"""
                    .formatted(commandId, 1000 + i));
            ids.add(commandId);
        }
        return ids;
    }

    /** [rows, distinct event ids] in call_events for events whose id starts with {@code prefix}. */
    private long[] rows(String prefix) {
        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement("select count(*), count(distinct event_id) from call_events where event_id like ?")) {
            q.setString(1, prefix + "%");
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        } catch (SQLException e) {
            return new long[] {0, 0}; // PostgreSQL is down in one scenario; the caller waits and asks again.
        }
    }

    private Set<String> projectedIds(String prefix) {
        Set<String> ids = new HashSet<>();
        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement("select event_id from call_events where event_id like ?")) {
            q.setString(1, prefix + "%");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** The commands among {@code commandIds} without a final status, with their status (or "missing"). */
    private Map<String, String> unfinished(List<String> commandIds) {
        Map<String, String> status = new HashMap<>();
        commandIds.forEach(id -> status.put(id, "missing"));
        if (commandIds.isEmpty()) {
            return status;
        }
        try (Connection db = client.database();
             PreparedStatement q = db.prepareStatement("select command_id, status from commands where command_id = any(?)")) {
            q.setArray(1, db.createArrayOf("text", commandIds.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    status.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            return status;
        }
        status.values().removeIf(s -> s.equals("completed") || s.equals("failed") || s.equals("rejected"));
        return status;
    }

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder("""
                | scenario | deliveries sent | 2xx | non-2xx | events accepted | records in Kafka | rows in call_events \
                | duplicates | lost | commands sent | ACS requests | duplicates at ACS | result |
                |---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|
                """);
        for (Row r : rows) {
            out.append("| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s |%n".formatted(r.scenario(), r.deliveries(),
                    r.ok(), r.notOk(), r.accepted(), r.kafkaRecords(), r.rows(), r.duplicates(), r.lost(), r.commandsSent(),
                    r.acsRequests(), r.acsDuplicates(), r.passed() ? "pass" : "FAIL"));
        }
        return out.toString();
    }
}
