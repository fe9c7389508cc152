package io.callstream.bench;

import io.callstream.e2e.processes.ChildProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the machine's CPU went while a load ran: each named process's CPU time ({@code /proc/<pid>/stat}),
 * this bench's own JVM's, and the whole machine's busy time ({@code /proc/stat}), each as a share of one
 * core over the wall time from construction to {@link #stop()}. What is busy on the machine and in none of
 * them (PostgreSQL's server processes, wrk, the kernel's own work) is reported as the rest.
 */
final class CpuShares {

    private final List<ChildProcess> processes;
    private final Map<String, Duration> before = new LinkedHashMap<>();
    private final Duration benchBefore;
    private final long machineBefore;
    private final long start = System.nanoTime();
    private String shares;

    /** Starts counting, for {@code processes}: every one must be running. */
    CpuShares(List<ChildProcess> processes) {
        this.processes = new ArrayList<>(processes);
        processes.forEach(p -> before.put(p.name(), p.cpuTime()));
        benchBefore = benchCpu();
        machineBefore = Bench.machineBusyTicks();
    }

    /** Stops counting; {@link #shares()} is what it counted. */
    void stop() {
        double wall = (System.nanoTime() - start) / 1e9;
        StringBuilder text = new StringBuilder();
        double named = 0;
        for (ChildProcess p : processes) {
            double seconds = (p.cpuTime().minus(before.get(p.name())).toMillis()) / 1000.0;
            named += seconds;
            text.append("%s %.0f%%, ".formatted(p.name(), 100 * seconds / wall));
        }
        double bench = benchCpu().minus(benchBefore).toMillis() / 1000.0;
        // /proc/stat counts in USER_HZ ticks, 100 a second on Linux.
        double machine = (Bench.machineBusyTicks() - machineBefore) / 100.0;
        text.append("this bench's JVM (sender, SQL watcher) %.0f%%, the rest (PostgreSQL and others) %.0f%%; machine %.0f%% of %d cores"
                .formatted(100 * bench / wall, 100 * Math.max(0, machine - named - bench) / wall,
                        100 * machine / wall / Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors()));
        shares = text.toString();
    }

    /**
     * @return for example {@code "ingress-service 61%, kafka 30%, this bench's JVM (sender, SQL watcher) 24%,
     *     the rest (PostgreSQL and others) 45%; machine 99% of 2 cores"}
     * @throws IllegalStateException before {@link #stop()}
     */
    String shares() {
        if (shares == null) {
            throw new IllegalStateException("still counting");
        }
        return shares;
    }

    private static Duration benchCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
