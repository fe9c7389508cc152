package io.callstream.e2e.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of a {@link ProcessStack}, started again after each stop or kill with the same command
 * and environment; its output goes to one log file, appended across restarts.
 */
public final class ChildProcess {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    ChildProcess(String name, List<String> command, Map<String, String> environment, Path log) {
        this.name = name;
        this.command = command;
        this.environment = environment;
        this.log = log;
    }

    List<String> command() {
        return command;
    }

    Map<String, String> environment() {
        return environment;
    }

    /**
     * CPU time this process has used so far (user + system), from {@code /proc/<pid>/stat}; zero
     * where there is no {@code /proc}.
     */
    public Duration cpuTime() {
        return ticks(true);
    }

    /** The part of {@link #cpuTime} spent in the kernel (system time). */
    public Duration kernelCpuTime() {
        return ticks(false);
    }

    private Duration ticks(boolean withUser) {
        try {
            String[] fields = java.nio.file.Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"))
                    .replaceFirst("^.*\\) ", "").split(" ");
            long ticks = (withUser ? Long.parseLong(fields[11]) : 0) + Long.parseLong(fields[12]);
            return Duration.ofMillis(ticks * 10);
        } catch (IOException | RuntimeException e) {
            return Duration.ZERO;
        }
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public void start() {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, and waits up to 30 s for a clean exit before SIGKILL. */
    public void stop() {
        if (!isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(Duration.ofSeconds(30))) {
            kill();
        }
    }

    /** SIGKILL ({@code kill -9}): the process gets no chance to finish anything. */
    public void kill() {
        if (!isAlive()) {
            return;
        }
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
