package io.callstream.bench;

import io.callstream.e2e.processes.ChildProcess;
import io.callstream.e2e.processes.ProcessStack;
import io.callstream.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Scale-out: {@value #EVENTS} events projected by 1, 2 and 4 command-service instances in one
 * consumer group (the topics have 6 partitions), each with {@value #EVENT_CONSUMERS} event
 * consumers (command-service's default), from empty projection tables each time; the
 * events are preloaded once the instances have joined and the group is balanced, with each process's share of the machine's CPU; then two ingress instances under
 * wrk at once, to show that they share the load.
 */
final class ScaleOutBench {

    private static final long EVENTS = 120_000;
    /** Event consumers per instance ({@code EVENT_CONSUMERS}), as command-service has by default. */
    private static final int EVENT_CONSUMERS = 2;

    private final ProcessStack stack;
    private final Report report;
    private final Path workDir;

    ScaleOutBench(ProcessStack stack, Report report, Path workDir) {
        this.stack = stack;
        this.report = report;
        this.workDir = workDir;
    }

    void run(Duration seconds) throws Exception {
        stack.commandService.stop();
        try (Admin admin = Bench.admin(stack)) {
            double single = 0;
            for (int instances : new int[] {1, 2, 4}) {
                System.out.printf("▶ scale-out: %,d events, %d command-service instance(s)%n", EVENTS, instances);
                truncateProjections();
                String group = Bench.newGroup("scale" + instances);
                Map<TopicPartition, Long> ends = Bench.eventTopicEnds(admin);
                Bench.setOffsets(admin, group, ends);
                long base = ends.values().stream().mapToLong(Long::longValue).sum();
                List<ChildProcess> processes = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    processes.add(stack.extraCommandService("command-service-scale" + instances + "-" + i, Map.of("KAFKA_GROUP_ID", group,
                            "EVENT_CONSUMERS", String.valueOf(EVENT_CONSUMERS))));
                }
                Map<String, Duration> cpuBefore = new HashMap<>();
                long[] machineBefore = new long[1];
                processes.forEach(ChildProcess::start);
                // The events come once every instance has its share of the partitions: a rebalance
                // while they are projected would be counted as the projection's time.
                awaitBalanced(admin, group, instances * EVENT_CONSUMERS, ends.keySet().stream().filter(tp -> tp.topic().equals(Topics.ACS_CALLBACKS)).count());
                new ProjectionBench(stack, report, workDir).preload(EVENTS);
                // From the first commit on: start-up's CPU (JIT, Spring) is not projection work.
                Bench.Progress progress = Bench.awaitCommitted(admin, group, base, EVENTS, Duration.ofMinutes(10), () -> {
                    cpuBefore.putAll(cpu(processes));
                    machineBefore[0] = Bench.machineBusyTicks();
                });
                Duration wall = Duration.between(progress.first(), progress.finished());
                Map<String, Duration> cpuAfter = cpu(processes);
                long machineTicks = Bench.machineBusyTicks() - machineBefore[0];
                processes.forEach(ChildProcess::stop);
                double rate = progress.perSecond();
                single = instances == 1 ? rate : single;
                StringBuilder shares = new StringBuilder();
                cpuAfter.forEach((name, after) -> shares.append("%s %.0f%%, ".formatted(name.replace("command-service-", ""),
                        100.0 * (after.minus(cpuBefore.getOrDefault(name, Duration.ZERO))).toNanos() / wall.toNanos())));
                report.line("scale-out: %d command-service instance(s)".formatted(instances),
                        "%,.0f events/s (%.2f× one); CPU of one core: %smachine %.0f%% of %d cores".formatted(rate, rate / single, shares,
                                100.0 * machineTicks / 100 / Runtime.getRuntime().availableProcessors() / ProjectionBench.seconds(wall),
                                Runtime.getRuntime().availableProcessors()), "rises until the cores are busy", null);
            }
        }
        twoIngresses(seconds);
    }

    private void twoIngresses(Duration seconds) throws Exception {
        System.out.println("▶ scale-out: two ingress instances under load at once");
        int port = ProcessStack.freePort();
        ChildProcess second = stack.extraIngress("ingress-service-2", port);
        second.start();
        ProcessStack.await(second, () -> Bench.portOpen(port));
        Path bodies = Files.write(workDir.resolve("eventgrid-one.jsonl"), List.of(Files.readAllLines(workDir.resolve("eventgrid.jsonl")).getFirst()));
        Wrk wrk = new Wrk(stack.root().resolve("bench/wrk/post.lua"));
        String path = "/api/eventgrid?secret=" + stack.eventGridSecret();
        // The second instance gets the warm-up the first had.
        run(wrk, "http://127.0.0.1:" + port + path, Duration.ofSeconds(15), bodies);
        CompletableFuture<Wrk.Result> one = CompletableFuture.supplyAsync(() -> run(wrk, stack.ingressUrl() + path, seconds, bodies));
        CompletableFuture<Wrk.Result> two = CompletableFuture.supplyAsync(() -> run(wrk, "http://127.0.0.1:" + port + path, seconds, bodies));
        Wrk.Result a = one.join();
        Wrk.Result b = two.join();
        second.stop();
        report.line("scale-out: two ingress instances, 100 connections each", "%,.0f + %,.0f = %,.0f req/s; p99 %s and %s".formatted(
                a.requestsPerSecond(), b.requestsPerSecond(), a.requestsPerSecond() + b.requestsPerSecond(), Report.ms(a.p99()),
                Report.ms(b.p99())), "both serve", a.requestsPerSecond() > 0 && b.requestsPerSecond() > 0 && a.errors() + b.errors() == 0);
    }

    private static Wrk.Result run(Wrk wrk, String url, Duration seconds, Path bodies) {
        try {
            return wrk.run(url, 100, seconds, bodies, "aeg-event-type", "Notification");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void truncateProjections() throws Exception {
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "callstream", "callstream"); Statement sql = db.createStatement()) {
            sql.execute("truncate call_events, calls, participants, dtmf_tones, recognized_inputs, recordings");
        }
    }

    /**
     * Waits (at most 3 minutes) until the group is stable with each of acs.callbacks' partitions
     * assigned, spread over as many instances as there are (each instance's event consumer is one
     * member; its command consumers are others, on calls.commands).
     */
    /** Waits until the group is stable with the callback partitions spread over as many of its {@code consumers} as they allow. */
    private static void awaitBalanced(Admin admin, String group, int consumers, long callbackPartitions) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            long partitions = 0;
            long holders = 0;
            for (MemberDescription member : description.members()) {
                long held = member.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(Topics.ACS_CALLBACKS)).count();
                partitions += held;
                holders += held > 0 ? 1 : 0;
            }
            if (description.groupState() == GroupState.STABLE && partitions == callbackPartitions
                    && holders == Math.min(consumers, callbackPartitions)) {
                return;
            }
            ProcessStack.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("group " + group + " did not balance over " + consumers + " event consumers within 3 minutes");
    }

    private static Map<String, Duration> cpu(List<ChildProcess> processes) {
        Map<String, Duration> cpu = new HashMap<>();
        processes.forEach(p -> cpu.put(p.name(), p.cpuTime()));
        return cpu;
    }
}
