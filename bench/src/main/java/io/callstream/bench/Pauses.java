package io.callstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stop-the-world pauses of the stack's JVMs, read from the safepoint logs that
 * {@code ProcessStack} has every JVM write ({@code -Xlog:safepoint} with the {@code utctime}
 * decorator, one file per process and PID: {@code <name>-safepoints-<pid>.log}). A safepoint stops
 * every Java thread of its JVM, for a garbage collection or another VM operation; its total is the
 * time from asking the threads to stop until they run again, so on a busy machine it includes
 * waiting for the CPU. The JDK's unified logging (JEP 158) documents the format.
 */
final class Pauses {

    /** Pauses shorter than this are left out of a summary: a busy JVM has hundreds of them. */
    static final Duration SHORTEST = Duration.ofMillis(1);

    /**
     * One safepoint.
     *
     * @param process the stack's name for the process (its log's name, e.g. {@code ingress-service})
     * @param end when the threads ran again
     * @param length from asking the threads to stop until they ran again
     * @param operation the VM operation, e.g. {@code G1CollectForAllocation}
     */
    record Pause(String process, Instant end, Duration length, String operation) {

        Instant start() {
            return end.minus(length);
        }
    }

    private static final Pattern SAFEPOINT = Pattern.compile(
            "^\\[(\\S+)] Safepoint \"([^\"]+)\", .*Total: (\\d+) ns.*$");
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    private static final String SUFFIX = "-safepoints-";

    private Pauses() {
    }

    /** Every pause logged in {@code logs} so far, from each {@code <name>-safepoints-<pid>.log}; none when there is no such file. */
    static List<Pause> read(Path logs) throws IOException {
        List<Pause> pauses = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.filter(f -> f.getFileName().toString().contains(SUFFIX)).sorted().toList()) {
                String name = file.getFileName().toString();
                pauses.addAll(parse(name.substring(0, name.indexOf(SUFFIX)), Files.readAllLines(file)));
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return pauses;
    }

    /** The pauses in one JVM's safepoint log lines; other lines are skipped. */
    static List<Pause> parse(String process, List<String> lines) {
        List<Pause> pauses = new ArrayList<>();
        for (String line : lines) {
            Matcher m = SAFEPOINT.matcher(line);
            if (m.matches()) {
                pauses.add(new Pause(process, OffsetDateTime.parse(m.group(1), UTC_TIME).toInstant(),
                        Duration.ofNanos(Long.parseLong(m.group(3))), m.group(2)));
            }
        }
        return pauses;
    }

    /**
     * What paused while a load ran: for each process with pauses of at least {@link #SHORTEST} that
     * overlap {@code from}–{@code to}, their number, their sum and the longest with its operation,
     * the process with the most paused time first.
     *
     * @return for example {@code "ingress-service 9 (220 ms in all, longest 49 ms: G1CollectForAllocation);
     *     kafka 1 (12 ms)"}, or {@code "none of 1 ms or more"}
     */
    static String summary(List<Pause> pauses, Instant from, Instant to) {
        Map<String, List<Pause>> byProcess = new TreeMap<>();
        for (Pause p : pauses) {
            if (p.length().compareTo(SHORTEST) >= 0 && p.end().isAfter(from) && p.start().isBefore(to)) {
                byProcess.computeIfAbsent(p.process(), k -> new ArrayList<>()).add(p);
            }
        }
        if (byProcess.isEmpty()) {
            return "none of " + SHORTEST.toMillis() + " ms or more";
        }
        return byProcess.values().stream()
                .sorted(Comparator.comparing((List<Pause> list) -> total(list)).reversed())
                .map(list -> {
                    Pause longest = list.stream().max(Comparator.comparing(Pause::length)).orElseThrow();
                    return list.size() == 1
                            ? "%s 1 (%s: %s)".formatted(longest.process(), ms(longest.length()), longest.operation())
                            : "%s %d (%s in all, longest %s: %s)".formatted(longest.process(), list.size(), ms(total(list)),
                                    ms(longest.length()), longest.operation());
                })
                .reduce((a, b) -> a + "; " + b).orElseThrow();
    }

    private static Duration total(List<Pause> pauses) {
        return pauses.stream().map(Pause::length).reduce(Duration.ZERO, Duration::plus);
    }

    private static String ms(Duration d) {
        return Math.round(d.toNanos() / 1e6) + " ms";
    }
}
