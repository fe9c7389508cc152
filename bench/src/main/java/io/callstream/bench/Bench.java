package io.callstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import io.callstream.e2e.CallbackJwts;
import io.callstream.e2e.processes.ChildProcess;
import io.callstream.e2e.processes.ProcessStack;
import io.callstream.emulator.system.LocalCredentials;
import io.callstream.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * {@code make bench}: measures callstream against references run in the same invocation, on a
 * stack of separate processes it starts itself ({@link ProcessStack}), and prints one table
 * (also written to {@code bench/results/<date>.md}; a run of some parts only, to
 * {@code bench/target/<date>-<parts>.md}) with a pass or fail per target of issue 6:
 * <ol>
 *   <li>ingress throughput and latency with wrk, against the floor ({@link FloorApplication}) and
 *   Kafka's own {@code ProducerPerformance} ceiling;</li>
 *   <li>projection throughput of a preloaded backlog, against plain JDBC batched inserts and COPY
 *   of the same rows ({@link ProjectionBench});</li>
 *   <li>end-to-end latency at a fixed rate, and time to answer ({@link LatencyBench});</li>
 *   <li>scale-out: projection with 1, 2 and 4 command-service instances, and two ingress instances.</li>
 * </ol>
 * Settings: {@code BENCH_EVENTS} (1,000,000 preloaded events), {@code BENCH_SECONDS} (10 per wrk run),
 * {@code BENCH_ONLY} (a comma-separated subset of {@code ingress,projection,latency,scaleout}, all by default;
 * projection and scaleout copy the records of the ingress run, so they need ingress).
 */
public final class Bench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String RESOURCE_ID = ProcessStack.RESOURCE_ID;
    private static final List<String> PARTS = List.of("ingress", "projection", "latency", "scaleout");
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private static final Duration WARM_UP_LOADED = Duration.ofSeconds(45);

    private final ProcessStack stack;
    private final Path workDir;
    private final Report report;

    private Bench(ProcessStack stack, Path workDir, Report report) {
        this.stack = stack;
        this.workDir = workDir;
        this.report = report;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        long events = Long.parseLong(System.getenv().getOrDefault("BENCH_EVENTS", "1000000"));
        Duration seconds = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BENCH_SECONDS", "10")));
        Set<String> parts = Set.of(System.getenv().getOrDefault("BENCH_ONLY", String.join(",", PARTS)).split(","));
        if (!PARTS.containsAll(parts) || (parts.contains("projection") || parts.contains("scaleout")) && !parts.contains("ingress")) {
            System.err.println("make bench: BENCH_ONLY takes a comma-separated subset of " + String.join(",", PARTS)
                    + "; projection and scaleout copy the records of the ingress run, so they need ingress too");
            System.exit(2);
        }
        if (!Wrk.installed()) {
            System.err.println("make bench: wrk is not installed (apt-get install wrk)");
            System.exit(2);
        }
        Path workDir = Files.createTempDirectory(Files.createDirectories(root.resolve("bench/target")), "run-");
        Report report = new Report();
        Instant started = Instant.now();
        int status = 0;
        try (ProcessStack stack = new ProcessStack(root, workDir, Map.of("KAFKA_GROUP_ID", "bench-live"))) {
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
            System.out.println("Starting the stack as separate processes (logs in " + workDir.resolve("logs") + ") …");
            stack.start();
            Bench bench = new Bench(stack, workDir, report);
            if (parts.contains("ingress")) {
                bench.ingress(seconds);
            }
            if (parts.contains("projection")) {
                new ProjectionBench(stack, report, workDir).run(events);
            }
            if (parts.contains("latency")) {
                new LatencyBench(stack, report).run();
            }
            if (parts.contains("scaleout")) {
                new ScaleOutBench(stack, report, workDir).run(seconds);
            }
        } catch (Exception e) {
            e.printStackTrace();
            report.note("The run stopped early: " + e);
            status = 1;
        }
        deleteData(workDir);
        report.note("Run took " + Duration.between(started, Instant.now()).toSeconds() + " s on " + Runtime.getRuntime().availableProcessors()
                + " cores (" + System.getProperty("os.name") + ", Java " + Runtime.version().feature() + ").");
        String table = report.markdown();
        System.out.println();
        System.out.println(table);
        // Only a run of every part is a result to keep; a partial run must not replace one.
        Path results = parts.containsAll(PARTS)
                ? Files.createDirectories(root.resolve("bench/results")).resolve(LocalDate.now() + ".md")
                : root.resolve("bench/target").resolve(LocalDate.now() + "-" + PARTS.stream().filter(parts::contains)
                        .collect(java.util.stream.Collectors.joining("-")) + ".md");
        Files.writeString(results, "# make bench, " + LocalDate.now() + "\n\n" + table, StandardCharsets.UTF_8);
        System.out.println("(written to " + root.relativize(results) + ")");
        System.exit(status);
    }

    /**
     * Deletes what the stopped stack stored in {@code workDir} (Kafka's log, PostgreSQL's data, the
     * emulator's keys: 3-6 GB a run), keeping its {@code logs}. Every run writes a new directory, and
     * kept runs had filled the disk.
     */
    static void deleteData(Path workDir) {
        try (Stream<Path> entries = Files.list(workDir)) {
            for (Path entry : entries.filter(e -> !e.getFileName().toString().equals("logs")).toList()) {
                try (Stream<Path> tree = Files.walk(entry)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("make bench: could not delete the run's data in " + workDir + ": " + e);
        }
    }

    // ------------------------------------------------------------------------------ 1. ingress

    private void ingress(Duration seconds) throws Exception {
        createTopics(stack, Map.of(FloorApplication.TOPIC, 6, "bench.ceiling", 6));
        int floorPort = ProcessStack.freePort();
        ChildProcess floor = stack.javaProcess("floor", classpath(stack.root()), FloorApplication.class.getName(),
                Map.of("FLOOR_PORT", String.valueOf(floorPort), "KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap()), "-Xmx512m");
        floor.start();
        ProcessStack.await(floor, () -> portOpen(floorPort));
        // Only ingress and the floor are measured here; command-service waits for the projection bench.
        stack.commandService.stop();

        Path callbacks = bodies("callbacks", "callbacks.jsonl");
        Path eventGrid = bodies("eventgrid", "eventgrid.jsonl");
        String token = token(LocalCredentials.signingKey(stack.emulatorDir()));
        Wrk wrk = new Wrk(stack.root().resolve("bench/wrk/post.lua"));
        String callbackUrl = stack.ingressUrl() + "/api/callbacks";
        String eventGridUrl = stack.ingressUrl() + "/api/eventgrid?secret=" + stack.eventGridSecret();
        String floorUrl = "http://127.0.0.1:" + floorPort + "/floor";
        // All get the same warm-up, at both loads. On 2 cores the JIT compiles the callback path (Spring
        // Security, Nimbus, BigInteger) while the load takes the same cores: after 15 s at 50 connections
        // its p95 at 200 was still 1.8 s, and it settled (p99 60-104 ms) only after about a minute.
        System.out.println("▶ ingress and floor: warming up (" + WARM_UP.toSeconds() + " s at 50 connections, "
                + WARM_UP_LOADED.toSeconds() + " s at 200, each)");
        for (int connections : new int[] {50, 200}) {
            Duration warmUp = connections == 50 ? WARM_UP : WARM_UP_LOADED;
            wrk.run(callbackUrl, connections, warmUp, callbacks, "Authorization", "Bearer " + token);
            wrk.run(eventGridUrl, connections, warmUp, eventGrid, "aeg-event-type", "Notification");
            wrk.run(floorUrl, connections, warmUp, callbacks);
        }

        Map<Integer, Served> ours = new HashMap<>();
        Map<Integer, Served> floors = new HashMap<>();
        for (int connections : new int[] {50, 200}) {
            System.out.println("▶ ingress and floor at " + connections + " connections");
            ours.put(connections, served(stack.ingress, () -> wrk.run(callbackUrl, connections, seconds, callbacks, "Authorization", "Bearer " + token)));
            floors.put(connections, served(floor, () -> wrk.run(floorUrl, connections, seconds, callbacks)));
            report.wrk("ingress /api/callbacks, " + connections + " connections", ours.get(connections).result());
            report.wrk("floor (WebFlux → KafkaTemplate), " + connections + " connections", floors.get(connections).result());
        }
        Served grid = served(stack.ingress, () -> wrk.run(eventGridUrl, 200, seconds, eventGrid, "aeg-event-type", "Notification"));
        report.wrk("ingress /api/eventgrid, 200 connections", grid.result());
        floor.stop();

        System.out.println("▶ ceiling: Kafka's ProducerPerformance, 700-byte records, acks=all");
        double ceiling = producerPerformance();
        report.line("ceiling: ProducerPerformance, 700-byte records", "%,.0f records/s".formatted(ceiling), "", null);

        Wrk.Result at200 = ours.get(200).result();
        double vsFloor = at200.requestsPerSecond() / floors.get(200).result().requestsPerSecond();
        report.line("ingress ÷ floor at 200 connections", "%.2f×".formatted(vsFloor), "≥ 1.0×", vsFloor >= 1.0);
        report.line("ingress p99 at 200 connections", Report.ms(at200.p99()), "< 50 ms", at200.p99().compareTo(Duration.ofMillis(50)) < 0);
        report.line("ingress ÷ ceiling at 200 connections", "%.2f×".formatted(at200.requestsPerSecond() / ceiling), "", null);

        // Why the ratio is what it is: where the CPU of one request goes, and what the checks alone cost.
        report.line("CPU per request at 200 connections: serving process (kernel) / whole machine", "callbacks %s; Event Grid %s; floor %s"
                .formatted(ours.get(200).cpu(), grid.cpu(), floors.get(200).cpu()), "", null);
        Costs.Measured costs = new Costs(LocalCredentials.signingKey(stack.emulatorDir()), RESOURCE_ID,
                stack.emulatorUrl().resolve("/calling/keys"), stack.emulatorDir().resolve("emulator.crt")).measure(callbacks);
        report.line("CPU of the checks alone, one thread, in this JVM", "JWT check %.0f µs; normalization %.0f µs per callback"
                .formatted(costs.jwtMicros(), costs.normalizeMicros()), "", null);
        double machineFloor = floors.get(200).machineMicros();
        double bound = machineFloor / (machineFloor + costs.jwtMicros() + costs.normalizeMicros());
        report.line("best ingress ÷ floor the checks allow, with the machine's CPU all busy", "%.2f× (floor %.0f µs ÷ (floor + checks))"
                .formatted(bound, machineFloor), "", null);
        List<Pauses.Pause> pauses = Pauses.read(stack.logs());
        report.note("Stop-the-world pauses (safepoints) of the stack's JVMs at 200 connections: during ingress's callbacks run, "
                + Pauses.summary(pauses, ours.get(200).from(), ours.get(200).to()) + "; during the floor's, "
                + Pauses.summary(pauses, floors.get(200).from(), floors.get(200).to()) + ".");
        report.note("With 2 cores busy at 200 connections, throughput is the machine's CPU divided by the CPU of one request, "
                + "so any work added to the floor's request lowers the ratio; the JWT signature check cannot be skipped, "
                + "since Call Automation mints a token per event (PROTOCOLS §1) and ingress caches no verified token (only the JWKS keys).");
    }

    /**
     * One wrk run with the CPU it cost per request, in microseconds: of the serving process (and
     * the part of it in the kernel) and of the whole machine (the server, Kafka and wrk together).
     */
    record Served(Wrk.Result result, double serverMicros, double serverKernelMicros, double machineMicros, Instant from, Instant to) {

        String cpu() {
            return "%.0f (kernel %.0f) / %.0f µs".formatted(serverMicros, serverKernelMicros, machineMicros);
        }
    }

    private static Served served(ChildProcess server, Callable<Wrk.Result> run) throws Exception {
        Instant from = Instant.now();
        Duration serverBefore = server.cpuTime();
        Duration kernelBefore = server.kernelCpuTime();
        long machineBefore = machineBusyTicks();
        Wrk.Result result = run.call();
        long requests = Math.max(1, result.requests());
        double serverMicros = server.cpuTime().minus(serverBefore).toNanos() / 1e3 / requests;
        double kernelMicros = server.kernelCpuTime().minus(kernelBefore).toNanos() / 1e3 / requests;
        // /proc/stat counts in USER_HZ ticks, 100 a second on Linux.
        double machine = (machineBusyTicks() - machineBefore) * 10_000.0 / requests;
        return new Served(result, serverMicros, kernelMicros, machine, from, Instant.now());
    }

    /** Busy CPU ticks of the whole machine so far (all but idle and iowait), from /proc/stat. */
    static long machineBusyTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < cpu.length; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(cpu[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private double producerPerformance() throws IOException, InterruptedException {
        Path root = stack.root();
        String classpath = Files.readString(root.resolve("infra/kafka-broker/target/classpath.txt")).strip();
        Process perf = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", classpath, "org.apache.kafka.tools.ProducerPerformance", "--topic", "bench.ceiling",
                "--num-records", "500000", "--record-size", "700", "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + stack.kafkaBootstrap(), "acks=all", "compression.type=lz4",
                "linger.ms=5", "batch.size=65536").redirectErrorStream(true).start();
        String output = new String(perf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        perf.waitFor();
        // "500000 records sent, 123456.7 records/sec (82.41 MB/sec), …" is the last summary line.
        String summary = output.lines().filter(l -> l.contains("records sent") && l.contains("records/sec"))
                .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("ProducerPerformance printed no summary: " + output));
        String[] words = summary.split(",")[1].trim().split(" ");
        return Double.parseDouble(words[0]);
    }

    /** The fixtures of one kind, minified, one per line: the request bodies for wrk. */
    private Path bodies(String kind, String file) throws IOException {
        Path fixtures = stack.root().resolve(System.getProperty("callstream.fixtures", "../shared/fixtures")).resolve(kind);
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(fixtures)) {
            for (Path fixture : files.filter(p -> p.toString().endsWith(kind.equals("eventgrid") ? ".eventgrid.json" : ".json")).sorted().toList()) {
                lines.add(JSON.readTree(fixture.toFile()).toString());
            }
        }
        return Files.write(workDir.resolve(file), lines);
    }

    /** The bench's own classpath, for its extra processes (the floor, the subscriber). */
    static String classpath(Path root) throws IOException {
        return root.resolve("bench/target/bench-0.1.0-SNAPSHOT.jar") + ":" + Files.readString(root.resolve("bench/target/classpath.txt")).strip();
    }

    /** A callback JWT as Call Automation signs it (here with the emulator's key), valid for an hour. */
    static String token(RSAKey key) {
        return CallbackJwts.sign(key, RESOURCE_ID, Instant.now().plus(Duration.ofHours(1)));
    }

    static boolean portOpen(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void createTopics(ProcessStack stack, Map<String, Integer> topics) throws InterruptedException, ExecutionException {
        try (Admin admin = admin(stack)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.entrySet().stream().filter(t -> !existing.contains(t.getKey()))
                    .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1)).toList();
            admin.createTopics(missing).all().get();
        }
    }

    static Admin admin(ProcessStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()));
    }

    /** End offsets of the event topics now. */
    static Map<TopicPartition, Long> eventTopicEnds(Admin admin) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(Topics.ACS_EVENTGRID, Topics.ACS_CALLBACKS)).allTopicNames().get().forEach((name, d) ->
                d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** Sets a (stopped or new) consumer group's offsets on the event topics. */
    static void setOffsets(Admin admin, String group, Map<TopicPartition, Long> offsets) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(group, commit).all().get();
    }

    /** How many records of the event topics {@code group} has committed, in all. */
    static long committed(Admin admin, String group) throws InterruptedException, ExecutionException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().startsWith("acs.") && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /**
     * How a consumer group got through {@code work} records beyond {@code base}: when its first
     * commit came (start-up excluded), how many it had then, and when it had them all.
     */
    record Progress(Instant first, long atFirst, Instant finished, long done) {

        double perSecond() {
            return (done - atFirst) / (Duration.between(first, finished).toNanos() / 1e9);
        }
    }

    /** Polls the group's commits every 100 ms until it has {@code work} more, or {@code timeout} passed. */
    static Progress awaitCommitted(Admin admin, String group, long base, long work, Duration timeout, Runnable onFirst)
            throws InterruptedException, ExecutionException {
        Instant deadline = Instant.now().plus(timeout);
        Instant first = null;
        long atFirst = 0;
        long done = 0;
        while (done < work && Instant.now().isBefore(deadline)) {
            ProcessStack.sleep(Duration.ofMillis(100));
            done = committed(admin, group) - base;
            if (first == null && done > 0) {
                first = Instant.now();
                atFirst = done;
                onFirst.run();
            }
        }
        if (done < work) {
            throw new IllegalStateException("group " + group + " committed " + done + " of " + work + " records within " + timeout);
        }
        return new Progress(first, atFirst, Instant.now(), done);
    }

    static String newGroup(String purpose) {
        return "bench-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
