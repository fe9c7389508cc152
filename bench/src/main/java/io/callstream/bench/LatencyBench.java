package io.callstream.bench;

import io.callstream.e2e.processes.ChildProcess;
import io.callstream.e2e.processes.ProcessStack;
import org.apache.kafka.clients.admin.Admin;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end latency and time to answer, with the live command-service:
 * <ul>
 *   <li>Event Grid deliveries at a fixed rate (2,000/s for 10 s, after 15 s unmeasured to warm up): from each delivery's 2xx to its
 *   row being visible in {@code call_events}, found by primary-key lookups every 5 ms;</li>
 *   <li>1,000 incoming calls rung by the emulator (after 2,000 that warm the path up), with a subscriber process ({@link AnsweringSubscriber}) that publishes AnswerCall on
 *   each IncomingCall, as a user's routing service would: from the ring to the emulator
 *   receiving the AnswerCall request, as the emulator measures it.</li>
 * </ul>
 */
final class LatencyBench {

    private static final int RATE = 2_000;
    private static final Duration LOAD = Duration.ofSeconds(10);
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private static final int IN_FLIGHT = 512;
    /** The share of {@link #RATE} the sender must hold for the end-to-end line to pass. */
    private static final double HELD = 0.95;
    private static final String TOPIC = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/bench"
            + "/providers/Microsoft.Communication/CommunicationServices/bench";

    private final ProcessStack stack;
    private final Report report;

    LatencyBench(ProcessStack stack, Report report) {
        this.stack = stack;
        this.report = report;
    }

    void run() throws Exception {
        // Offsets of a group can only be set while it has no members.
        stack.commandService.stop();
        try (Admin admin = Bench.admin(stack)) {
            // The live service starts at the end of the log: the projection backlog is not its work.
            Bench.setOffsets(admin, "bench-live", Bench.eventTopicEnds(admin));
        }
        kafkaRoundTrip();
        stack.startCommandService();
        endToEnd();
        timeToAnswer();
    }

    /**
     * The reference for both latencies: Kafka's own {@code EndToEndLatency} tool, one 700-byte
     * record at a time produced (acks=all) and consumed on the same broker, 2,000 times. Every
     * path measured below crosses Kafka once (end to end) or twice (time to answer).
     */
    private void kafkaRoundTrip() throws Exception {
        System.out.println("▶ reference: Kafka's EndToEndLatency, one record at a time, acks=all");
        Bench.createTopics(stack, Map.of("bench.latency", 1));
        String classpath = Files.readString(stack.root().resolve("infra/kafka-broker/target/classpath.txt")).strip();
        Process tool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classpath,
                "org.apache.kafka.tools.EndToEndLatency", stack.kafkaBootstrap(), "bench.latency", "2000", "all", "700")
                .redirectErrorStream(true).start();
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        tool.waitFor();
        // "Percentiles: 50th = 2, 99th = 13, 99.9th = 37" (milliseconds) is its summary.
        String summary = output.lines().filter(l -> l.startsWith("Percentiles:")).findFirst()
                .orElseThrow(() -> new IllegalStateException("EndToEndLatency printed no percentiles: " + output));
        String percentiles = summary.substring("Percentiles: ".length()).replaceAll("([0-9.]+)th = ([0-9]+)", "p$1 $2 ms");
        report.line("reference: Kafka EndToEndLatency, produce (acks=all) → consume, 700 bytes", percentiles, "", null);
    }

    private void endToEnd() throws Exception {
        System.out.printf("▶ end to end: %,d Event Grid deliveries/s for %d s (after %d s to warm up), 2xx to row in SQL%n", RATE,
                LOAD.toSeconds(), WARM_UP.toSeconds());
        String prefix = "bench-e2e-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        String endpoint = stack.ingressUrl() + "/api/eventgrid?secret=" + stack.eventGridSecret();
        // Reactor Netty's client: the JDK's cost the bench's JVM more CPU per request than ingress had to spare on 2 cores.
        ConnectionProvider connections = ConnectionProvider.builder("bench-e2e").maxConnections(IN_FLIGHT).pendingAcquireMaxCount(-1).build();
        HttpClient http = HttpClient.create(connections).responseTimeout(Duration.ofSeconds(15))
                .headers(h -> h.set("Content-Type", "application/json").set("aeg-event-type", "Notification"));
        Map<String, Instant> acknowledged = new ConcurrentHashMap<>();
        Map<String, Instant> visible = new ConcurrentHashMap<>();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean sending = new AtomicBoolean(true);
        Queue<String> newlyAcknowledged = new ConcurrentLinkedQueue<>();
        Set<String> background = ConcurrentHashMap.newKeySet();
        AtomicReference<Instant> measuredFrom = new AtomicReference<>();
        Map<Long, Long> walAt = new ConcurrentHashMap<>();
        // The watcher looks for the warm-up's events too, so that its connection, PostgreSQL's backend and the JIT are past
        // their first rounds when the measured load starts. Cold, they made the first measured second the slowest of each of
        // the three runs before (p99 99-349 ms); warm, it was 64-87 ms in the next runs, and never the slowest.
        Thread watcher = Thread.ofPlatform().start(() -> watch(newlyAcknowledged, visible, sending, background, measuredFrom, walAt));
        send(http, endpoint, prefix + "warm-", WARM_UP, (id, at) -> newlyAcknowledged.add(id), new AtomicLong());
        Instant loadStart = Instant.now();
        measuredFrom.set(loadStart);
        CpuShares cpu = new CpuShares(List.of(stack.ingress, stack.commandService, stack.kafka, stack.emulator));
        Sent sent = send(http, endpoint, prefix, LOAD, (id, at) -> {
            acknowledged.put(id, at);
            newlyAcknowledged.add(id);
        }, failed);
        cpu.stop();
        connections.dispose();
        Instant deadline = Instant.now().plusSeconds(120);
        while (!visible.keySet().containsAll(acknowledged.keySet()) && Instant.now().isBefore(deadline)) {
            ProcessStack.sleep(Duration.ofMillis(100));
        }
        sending.set(false);
        watcher.join();
        Instant loadEnd = Instant.now();
        List<Duration> latencies = new ArrayList<>();
        Map<Long, List<Duration>> bySecond = new TreeMap<>();
        acknowledged.forEach((id, ack) -> {
            Instant seen = visible.get(id);
            if (seen != null) {
                Duration latency = seen.isBefore(ack) ? Duration.ZERO : Duration.between(ack, seen);
                latencies.add(latency);
                bySecond.computeIfAbsent(Duration.between(loadStart, ack).toSeconds(), s -> new ArrayList<>()).add(latency);
            }
        });
        Percentiles p = new Percentiles(latencies);
        // A p99 at a lower rate than the target's says nothing of the target: such a line does not pass.
        boolean heldRate = sent.rate() >= HELD * RATE;
        report.line("end to end at %,d/s (sent at %,.0f/s): 2xx → row in SQL".formatted(RATE, sent.rate()),
                "p50 %s, p99 %s, p99.9 %s (%,d rows, %d failed)".formatted(Report.ms(p.at(50)), Report.ms(p.at(99)), Report.ms(p.at(99.9)),
                        p.count(), failed.get()), "p99 < 100 ms", heldRate && p.at(99).compareTo(Duration.ofMillis(100)) < 0 && failed.get() == 0);
        Percentiles answered = new Percentiles(sent.toAnswer());
        report.note(("The end-to-end sender held %,.0f deliveries/s of %,d/s%s. Its thread used %d µs of CPU per delivery and waited %.1f s "
                + "in all for one of the %d slots for requests in flight; from being handed to the client to ingress's answer, a delivery "
                + "took p50 %s, p99 %s. CPU meanwhile, share of one core: %s.").formatted(sent.rate(), RATE,
                heldRate ? "" : " (a line below %.0f%% of the rate does not pass)".formatted(HELD * 100),
                sent.cpuPerDelivery().toNanos() / 1000, sent.waitedForSlot().toMillis() / 1000.0, IN_FLIGHT,
                Report.ms(answered.at(50)), Report.ms(answered.at(99)), cpu.shares()));
        report.note("End-to-end latency is found by polling `call_events` by primary key every 5 ms, so it includes up to 5 ms of polling.");
        StringBuilder seconds = new StringBuilder("End to end by second of the load (p99 / max in ms, and the WAL PostgreSQL wrote in that second): ");
        bySecond.forEach((second, list) -> {
            Percentiles s = new Percentiles(list);
            Long from = walAt.get(second);
            Long to = walAt.get(second + 1);
            String wal = from == null || to == null ? "" : ", %.1f MB".formatted((to - from) / 1e6);
            seconds.append(second == 0 ? "" : "; ").append("%d: %d / %d%s".formatted(second, s.at(99).toMillis(), s.at(100).toMillis(), wal));
        });
        seconds.append(". PostgreSQL meanwhile: %s; %s.".formatted(checkpoints(loadStart, loadEnd),
                background.isEmpty() ? "no autovacuum" : "autovacuum of " + String.join(", ", new TreeSet<>(background))));
        report.note(seconds.toString());
        report.note("Stop-the-world pauses (safepoints) of the stack's JVMs during the end-to-end load: "
                + Pauses.summary(Pauses.read(stack.logs()), loadStart, loadEnd) + ".");
    }

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS z");
    /** A checkpoint's line under PostgreSQL's default {@code log_line_prefix} ({@code '%m [%p] '}). */
    private static final Pattern CHECKPOINT = Pattern.compile(
            "^(\\S+ \\S+ \\S+) \\[\\d+\\] LOG:  checkpoint (starting|complete): (.*)$");
    private static final Pattern CHECKPOINT_COST = Pattern.compile("(wrote \\d+ buffers).*(write=\\S+ s, sync=\\S+ s).*(longest=\\S+ s)");

    /** {@link #checkpoints(List, Instant, Instant)} over every file of the stack's PostgreSQL log. */
    private String checkpoints(Instant loadStart, Instant loadEnd) throws IOException {
        List<String> lines = new ArrayList<>();
        try (var files = Files.list(stack.postgresLogs())) {
            for (Path file : files.sorted().toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        } catch (NoSuchFileException e) {
            return "no log of its checkpoints at " + stack.postgresLogs();
        }
        return checkpoints(lines, loadStart, loadEnd);
    }

    /**
     * The checkpoints under way while a load ran, read from PostgreSQL's own log lines
     * ({@code log_checkpoints}, on by default since PostgreSQL 15, with the default
     * {@code log_line_prefix}): each start, with its reason, and each completion, in seconds from
     * the load's start, with the buffers written, the seconds spent writing and syncing them and the
     * longest sync of one file. A checkpoint that started before the load and ended during it, or
     * was still under way at its end, counts. Lines of other kinds are skipped.
     *
     * @return for example {@code "a checkpoint (wal) started at -4.1 s, completed at +6.0 s: wrote 812
     *     buffers, write=9.8 s, sync=0.3 s, longest=0.1 s"}, or {@code "no checkpoint"}
     */
    static String checkpoints(List<String> logLines, Instant loadStart, Instant loadEnd) {
        List<String> during = new ArrayList<>();
        String startedBefore = null;
        for (String line : logLines) {
            Matcher m = CHECKPOINT.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Instant at = ZonedDateTime.parse(m.group(1), LOG_TIME).toInstant();
            String when = "%+.1f s".formatted(Duration.between(loadStart, at).toMillis() / 1000.0);
            boolean starting = m.group(2).equals("starting");
            if (at.isBefore(loadStart)) {
                startedBefore = starting ? "a checkpoint (" + m.group(3) + ") started at " + when : null;
            } else if (!at.isAfter(loadEnd)) {
                if (during.isEmpty() && startedBefore != null) {
                    during.add(startedBefore);
                }
                startedBefore = null;
                if (starting) {
                    during.add("a checkpoint (" + m.group(3) + ") started at " + when);
                } else {
                    Matcher cost = CHECKPOINT_COST.matcher(m.group(3));
                    during.add("completed at " + when + (cost.find() ? ": " + cost.group(1) + ", " + cost.group(2) + ", " + cost.group(3) : ""));
                }
            }
        }
        if (startedBefore != null) {
            during.add(startedBefore);
        }
        if (!during.isEmpty() && during.getLast().contains("started at")) {
            during.set(during.size() - 1, during.getLast() + ", still under way at the end");
        }
        return during.isEmpty() ? "no checkpoint" : String.join(", ", during);
    }

    /**
     * What one {@link #send} did.
     *
     * @param rate deliveries per second it held, from the first to the last request sent
     * @param cpuPerDelivery CPU time of the sending thread per delivery: far below {@code 1 s / rate}
     *     when the thread fell behind because it waited for a core, not because it was busy
     * @param waitedForSlot the sending thread's time waiting for one of the {@link #IN_FLIGHT} slots
     * @param toAnswer each delivery's time from being handed to the client to its answer (2xx or not)
     */
    private record Sent(double rate, Duration cpuPerDelivery, Duration waitedForSlot, List<Duration> toAnswer) {
    }

    /**
     * Sends deliveries at {@link #RATE} for {@code duration}, at most {@link #IN_FLIGHT} at a time,
     * and waits for their answers. The bodies are built before the first request, so that the
     * sending thread only paces and hands requests to Reactor Netty.
     */
    private static Sent send(HttpClient http, String endpoint, String prefix, Duration duration,
                             BiConsumer<String, Instant> acknowledged, AtomicLong failed) {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        int total = (int) (RATE * duration.toSeconds());
        byte[][] bodies = new byte[total][];
        for (int i = 0; i < total; i++) {
            bodies[i] = delivery(prefix + i).getBytes(StandardCharsets.UTF_8);
        }
        Queue<Duration> toAnswer = new ConcurrentLinkedQueue<>();
        long waited = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long wait = start + i * 1_000_000_000L / RATE - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String id = prefix + i;
            long waitFrom = System.nanoTime();
            inFlight.acquireUninterruptibly();
            long handedOver = System.nanoTime();
            waited += handedOver - waitFrom;
            http.post().uri(endpoint).send(ByteBufFlux.fromInbound(Mono.just(bodies[i])))
                    .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                    .subscribe(status -> {
                        toAnswer.add(Duration.ofNanos(System.nanoTime() - handedOver));
                        if (status / 100 == 2) {
                            acknowledged.accept(id, Instant.now());
                        } else {
                            failed.incrementAndGet();
                        }
                        inFlight.release();
                    }, error -> {
                        failed.incrementAndGet();
                        inFlight.release();
                    });
        }
        double rate = total / ((System.nanoTime() - start) / 1e9);
        Duration cpu = Duration.ofNanos((threads.getCurrentThreadCpuTime() - cpuStart) / total);
        inFlight.acquireUninterruptibly(IN_FLIGHT);
        return new Sent(rate, cpu, Duration.ofNanos(waited), List.copyOf(toAnswer));
    }

    /**
     * Finds acknowledged events in SQL every 5 ms, recording when each first became visible. Each
     * query asks only for the events still pending, so a lookup costs the same at the end of the
     * load as at its start. It runs from the warm-up on; once {@code measuredFrom} holds the measured
     * load's start, every 20th round also notes what autovacuum is doing into {@code background}, and
     * the first round of each second from that start puts PostgreSQL's WAL position in bytes
     * ({@code pg_current_wal_lsn()}) into {@code walAt}, keyed by that second, so that the WAL a second
     * wrote is the difference to the next one.
     */
    private void watch(Queue<String> newlyAcknowledged, Map<String, Instant> visible, AtomicBoolean sending, Set<String> background,
                       AtomicReference<Instant> measuredFrom, Map<Long, Long> walAt) {
        Set<String> pending = new HashSet<>();
        long rounds = 0;
        long walSampled = -1;
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "callstream", "callstream");
             PreparedStatement q = db.prepareStatement("select event_id from call_events where source = ? and event_type = ? "
                     + "and event_id = any(?)");
             PreparedStatement autovacuum = db.prepareStatement("select query from pg_stat_activity where backend_type = 'autovacuum worker'");
             PreparedStatement wal = db.prepareStatement("select (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            while (sending.get()) {
                Instant loadStart = measuredFrom.get();
                long second = loadStart == null ? -1 : Duration.between(loadStart, Instant.now()).toSeconds();
                if (second > walSampled) {
                    try (ResultSet rs = wal.executeQuery()) {
                        rs.next();
                        walAt.put(second, rs.getLong(1));
                        walSampled = second;
                    }
                }
                if (loadStart != null && rounds++ % 20 == 0) {
                    try (ResultSet rs = autovacuum.executeQuery()) {
                        while (rs.next()) {
                            // A role without pg_read_all_stats sees "<insufficient privilege>" for another role's query.
                            String query = rs.getString(1);
                            background.add(query == null || query.startsWith("<") ? "a table (its name hidden from this role)"
                                    : query.replace("autovacuum: ", ""));
                        }
                    }
                }
                for (String id; (id = newlyAcknowledged.poll()) != null; ) {
                    pending.add(id);
                }
                if (!pending.isEmpty()) {
                    q.setString(1, TOPIC);
                    q.setString(2, "Microsoft.Communication.CallStarted");
                    q.setArray(3, db.createArrayOf("text", pending.toArray()));
                    try (ResultSet rs = q.executeQuery()) {
                        Instant now = Instant.now();
                        while (rs.next()) {
                            visible.putIfAbsent(rs.getString(1), now);
                            pending.remove(rs.getString(1));
                        }
                    }
                }
                ProcessStack.sleep(Duration.ofMillis(5));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String delivery(String id) {
        String serverCallId = "bench-call-" + UUID.randomUUID();
        return """
                [{"id":"%s","topic":"%s","subject":"call/%s/startedBy/8:acs:bench","eventType":"Microsoft.Communication.CallStarted",\
                "data":{"startedBy":{"communicationIdentifier":{"rawId":"8:acs:bench","communicationUser":{"id":"8:acs:bench"}}},\
                "serverCallId":"%s","group":{"id":"%s"},"isTwoParty":false,"correlationId":"%s","isRoomsCall":false},\
                "dataVersion":"1.0","metadataVersion":"1","eventTime":"%s"}]""".formatted(id, TOPIC, serverCallId, serverCallId,
                UUID.randomUUID(), UUID.randomUUID(), Instant.now());
    }

    /** What the subscriber saw of one incoming call: the IncomingCall record and the AnswerCall it published. */
    private record Seen(String commandId, Instant recordTimestamp, Instant received, Instant published) {
    }

    /** One answered call, with when the emulator got its AnswerCall. */
    private record Answer(String serverCallId, Instant answeredAt, Duration latency) {

        Instant rangAt() {
            return answeredAt.minus(latency);
        }
    }

    private void timeToAnswer() throws Exception {
        // The command path (the SDK, azure-core, the emulator's call handling) is compiled by the JIT only after
        // a few thousand calls: measured on this machine, p99 stays above 60 ms for the first 2,000 calls at 20-30/s
        // after start, then settles at 30-45 ms. The warm-up rings faster, so that it costs seconds, not minutes.
        int warmUp = 2000;
        int calls = 1000;
        System.out.printf("▶ time to answer: %d incoming calls after %d to warm up, a subscriber answering each IncomingCall%n", calls, warmUp);
        Path out = Files.createTempFile(stack.root().resolve("bench/target"), "subscriber-", ".txt");
        ChildProcess subscriber = stack.javaProcess("subscriber", Bench.classpath(stack.root()), AnsweringSubscriber.class.getName(),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap(), "SUBSCRIBER_OUT", out.toString()), "-Xmx256m");
        subscriber.start();
        ProcessStack.await(subscriber, () -> {
            try {
                return Files.readString(out).startsWith("ready");
            } catch (IOException e) {
                return false;
            }
        });
        try (EmulatorCalls client = new EmulatorCalls(stack)) {
            int before = answers(client).size() + warmUp;
            int started = before - warmUp;
            ring(client, warmUp, 10000, Duration.ofMillis(5));
            List<Answer> warm = awaitAnswers(client, before);
            ring(client, calls, 2000, Duration.ofMillis(20));
            List<Answer> answers = awaitAnswers(client, before + calls);
            subscriber.stop();
            Map<String, Seen> seen = new HashMap<>();
            for (String line : Files.readAllLines(out)) {
                String[] f = line.split(" ");
                if (f.length == 5) {
                    seen.put(f[0], new Seen(f[1], Instant.parse(f[2]), Instant.parse(f[3]), Instant.parse(f[4])));
                }
            }
            List<Answer> measured = answers.subList(Math.min(before, answers.size()), answers.size());
            Percentiles p = new Percentiles(measured.stream().map(Answer::latency).toList());
            report.line("time to answer: ring → AnswerCall at the emulator (%d calls)".formatted(p.count()),
                    "p50 %s, p99 %s".formatted(Report.ms(p.at(50)), Report.ms(p.at(99))), "p99 < 50 ms",
                    p.count() == calls && p.at(99).compareTo(Duration.ofMillis(50)) < 0);
            report.note(stages(measured, seen));
            if (!measured.isEmpty()) {
                Instant from = measured.stream().map(Answer::rangAt).min(Instant::compareTo).orElseThrow();
                Instant to = measured.stream().map(Answer::answeredAt).max(Instant::compareTo).orElseThrow();
                report.note("Stop-the-world pauses (safepoints) of the stack's JVMs while the measured calls rang and were answered: "
                        + Pauses.summary(Pauses.read(stack.logs()), from, to) + ".");
            }
            Percentiles cold = new Percentiles(warm.subList(Math.min(started, warm.size()), warm.size()).stream().map(Answer::latency).toList());
            report.note(("Time to answer is measured after %d calls, rung every 5 ms, that warm the path up: the JIT compiles "
                    + "the command path only after some thousands of calls. The first %d calls command-service answered after its start took "
                    + "p50 %s, p99 %s.").formatted(warmUp, cold.count(), Report.ms(cold.at(50)), Report.ms(cold.at(99))));
        }
    }

    /** The emulator's answers once there are {@code count}, or after a minute. */
    private static List<Answer> awaitAnswers(EmulatorCalls client, int count) throws IOException {
        Instant deadline = Instant.now().plusSeconds(60);
        List<Answer> answers = answers(client);
        while (answers.size() < count && Instant.now().isBefore(deadline)) {
            ProcessStack.sleep(Duration.ofMillis(200));
            answers = answers(client);
        }
        return answers;
    }

    private static void ring(EmulatorCalls client, int calls, int firstNumber, Duration pause) {
        for (int i = 0; i < calls; i++) {
            client.ring("+142555%05d".formatted(firstNumber + i), "+14255550100");
            ProcessStack.sleep(pause);
        }
    }

    /**
     * Where the time to answer goes, median and p99 of each stage: the emulator's Event Grid delivery
     * and ingress up to its Kafka record; Kafka to the subscriber; the subscriber's AnswerCall to
     * command-service's claim of it (Kafka again and the command consumer); the claim to the
     * AnswerCall request at the emulator (the SDK over HTTPS). All on one machine's wall clock.
     */
    private String stages(List<Answer> answers, Map<String, Seen> seen) throws Exception {
        Map<String, Instant> claimed = new HashMap<>();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "callstream", "callstream");
             PreparedStatement q = db.prepareStatement("select command_id, received_at from commands where command_id = any(?)")) {
            q.setArray(1, db.createArrayOf("text", seen.values().stream().map(Seen::commandId).toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    claimed.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
        }
        List<List<Duration>> stages = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<Answer, List<Duration>> byCall = new HashMap<>();
        for (Answer answer : answers) {
            Seen s = seen.get(answer.serverCallId());
            Instant claim = s == null ? null : claimed.get(s.commandId());
            if (claim == null) {
                continue;
            }
            Instant[] points = {answer.rangAt(), s.recordTimestamp(), s.received(), claim, answer.answeredAt()};
            List<Duration> call = new ArrayList<>();
            for (int i = 0; i < stages.size(); i++) {
                stages.get(i).add(Duration.between(points[i], points[i + 1]));
                call.add(Duration.between(points[i], points[i + 1]));
            }
            byCall.put(answer, call);
        }
        if (stages.getFirst().isEmpty()) {
            return "Time to answer by stage: no answered call could be traced through the subscriber and the commands table.";
        }
        String[] names = {"ring → ingress's Kafka record", "→ subscriber", "→ command claimed", "→ AnswerCall at the emulator"};
        StringBuilder text = new StringBuilder("Time to answer by stage (p50 / p99): ");
        for (int i = 0; i < names.length; i++) {
            Percentiles p = new Percentiles(stages.get(i));
            text.append(i == 0 ? "" : "; ").append(names[i]).append(' ').append(Report.ms(p.at(50))).append(" / ").append(Report.ms(p.at(99)));
        }
        // The slowest calls, by when they rang: a few stalls of the whole machine cluster in time; a slow stage does not.
        Instant first = answers.stream().map(Answer::rangAt).min(Instant::compareTo).orElseThrow();
        text.append(". The ten slowest calls (rung at +s: the four stages in ms):");
        byCall.keySet().stream().sorted(java.util.Comparator.comparing(Answer::latency).reversed()).limit(10)
                .sorted(java.util.Comparator.comparing(Answer::rangAt)).forEach(a -> text.append(" +%.1f: %s;".formatted(
                        Duration.between(first, a.rangAt()).toMillis() / 1000.0,
                        String.join("/", byCall.get(a).stream().map(d -> String.valueOf(d.toMillis())).toList()))));
        return text.toString();
    }

    private static List<Answer> answers(EmulatorCalls client) throws IOException {
        List<Answer> answers = new ArrayList<>();
        client.answers().path("answers").forEach(n -> answers.add(new Answer(n.path("serverCallId").asText(), Instant.parse(n.path("answeredAt").asText()),
                Duration.ofNanos(n.path("latencyMicros").asLong() * 1_000))));
        return answers;
    }
}
