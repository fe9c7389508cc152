package io.callstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs wrk (Debian's package) with {@code bench/wrk/post.lua} against one URL and reads its
 * summary line.
 */
final class Wrk {

    /**
     * One run's figures.
     *
     * @param requests completed requests
     * @param requestsPerSecond completed requests per second
     * @param p50 median latency
     * @param p99 99th percentile
     * @param p999 99.9th percentile
     * @param errors non-2xx answers plus socket errors
     */
    record Result(long requests, double requestsPerSecond, Duration p50, Duration p99, Duration p999, long errors) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path script;

    Wrk(Path script) {
        this.script = script;
    }

    /** Whether wrk is on the PATH. */
    static boolean installed() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() <= 1;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @param connections open connections, spread over two threads
     * @param duration how long to send
     * @param bodies the file of request bodies, one per line
     * @param header an extra header as {@code name, value}, or none
     */
    Result run(String url, int connections, Duration duration, Path bodies, String... header) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "10s", "-s", script.toString(), url, "--", bodies.toString()));
        command.addAll(List.of(header));
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        String line = output.lines().filter(l -> l.startsWith("BENCH ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no summary: " + output));
        JsonNode summary = JSON.readTree(line.substring("BENCH ".length()));
        return new Result(summary.path("requests").asLong(), summary.path("requests").asLong() / summary.path("seconds").asDouble(),
                Duration.ofNanos(summary.path("p50").asLong() * 1_000), Duration.ofNanos(summary.path("p99").asLong() * 1_000),
                Duration.ofNanos(summary.path("p999").asLong() * 1_000), summary.path("non2xx").asLong() + summary.path("socketErrors").asLong());
    }
}
