package io.callstream.e2e.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of the chaos stack, started again after each stop or kill with the same command
 * and environment; its output goes to one log file, appended across restarts.
 */
final class ChildProcess {

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

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    void start() {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, and waits up to 30 s for a clean exit before SIGKILL. */
    void stop() {
        if (!isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(Duration.ofSeconds(30))) {
            kill();
        }
    }

    /** SIGKILL ({@code kill -9}): the process gets no chance to finish anything. */
    void kill() {
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
