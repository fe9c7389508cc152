package io.callstream.e2e.processes;

import io.callstream.e2e.StackClient;
import io.callstream.emulator.system.LocalCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The whole stack as separate processes, the way {@code make run} runs it, so that a fault
 * scenario or a benchmark can stop, kill, restart and measure each one: Kafka ({@code infra/bin/kafka}), PostgreSQL
 * ({@code LocalPostgres}), the ACS emulator, command-service and ingress-service (their
 * executable jars). Every process gets free ports and a data directory under {@code workDir};
 * logs go to {@code workDir/logs}, with each JVM's safepoints (its stop-the-world pauses). Needs {@code make build} first.
 */
public final class ProcessStack implements AutoCloseable {

    private static final String VERSION = "0.1.0-SNAPSHOT";
    /** The ACS resource id the emulator signs callbacks for and ingress expects. */
    public static final String RESOURCE_ID = "00000000-0000-0000-0000-0000000c4a05";

    public final ChildProcess kafka;
    public final ChildProcess postgres;
    public final ChildProcess emulator;
    public final ChildProcess commandService;
    public final ChildProcess ingress;
    private final List<ChildProcess> all = new ArrayList<>();
    private final int kafkaPort;
    private final int postgresPort;
    private final int emulatorPort;
    private final int commandPort;
    private final int ingressPort;
    private final Path emulatorDir;
    private final Path root;
    private final Path logs;
    private final String java;
    private final String eventGridSecret = UUID.randomUUID().toString();
    private final HttpClient http;

    /**
     * Prepares the processes (nothing runs yet).
     *
     * @param root the project's root directory
     * @param workDir where data and logs go
     * @param commandServiceEnv extra environment for command-service (e.g. {@code KAFKA_GROUP_ID})
     */
    public ProcessStack(Path root, Path workDir, Map<String, String> commandServiceEnv) throws IOException {
        this.root = root;
        this.logs = Files.createDirectories(workDir.resolve("logs"));
        emulatorDir = Files.createDirectories(workDir.resolve("emulator"));
        LocalCredentials.ensure(emulatorDir);
        http = HttpClient.newBuilder().sslContext(StackClient.trusting(emulatorDir.resolve("emulator.crt")))
                .connectTimeout(Duration.ofSeconds(2)).build();
        kafkaPort = freePort();
        postgresPort = freePort();
        emulatorPort = freePort();
        commandPort = freePort();
        ingressPort = freePort();
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        kafka = process("kafka", logs, List.of(root.resolve("infra/bin/kafka").toString()), Map.of(
                "KAFKA_DATA_DIR", workDir.resolve("kafka").toString(), "KAFKA_PORT", String.valueOf(kafkaPort),
                "KAFKA_CONTROLLER_PORT", String.valueOf(freePort())));
        postgres = process("postgres", logs, List.of(java, "-Xmx256m", "-cp",
                root.resolve("infra/postgres/target/local-postgres-" + VERSION + ".jar") + ":"
                        + Files.readString(root.resolve("infra/postgres/target/classpath.txt")).strip(),
                "io.callstream.postgres.LocalPostgres"), Map.of(
                "DATA_DIR", workDir.resolve("postgres").toString(), "LOG_DIR", postgresLogs().toString(),
                "PORT", String.valueOf(postgresPort)));
        // The services get a fixed heap (-Xms = -Xmx), and command-service tenures after one young
        // collection, as in `make run`: see infra/bin/run-stack.
        emulator = process("acs-emulator", logs, List.of(java, "-Xms384m", "-Xmx384m", "-jar",
                root.resolve("infra/acs-emulator/target/acs-emulator-" + VERSION + "-exec.jar").toString()), Map.of(
                "EMULATOR_PORT", String.valueOf(emulatorPort), "CALLSTREAM_EMULATOR_DATA_DIR", emulatorDir.toString(),
                "ACS_RESOURCE_ID", RESOURCE_ID, "EMULATOR_EVENT_DELAY", "20ms",
                "EVENTGRID_SUBSCRIBER_URL", ingressUrl() + "/api/eventgrid?secret=" + eventGridSecret));
        Map<String, String> commandEnv = new HashMap<>(Map.of(
                "COMMAND_SERVICE_PORT", String.valueOf(commandPort), "KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap(),
                "JDBC_DATABASE_URL", jdbcUrl(), "CALLSTREAM_EMULATOR_DATA_DIR", emulatorDir.toString(),
                "ACS_CONNECTION_STRING", "endpoint=" + emulatorUrl() + "/;accesskey=" + LocalCredentials.accessKey(emulatorDir),
                "CALLSTREAM_CALLBACK_URI", ingressUrl() + "/api/callbacks",
                "ACS_REQUEST_TIMEOUT", "2s", "ACS_RETRY_MAX_DELAY", "2s"));
        commandEnv.putAll(commandServiceEnv);
        commandService = process("command-service", logs, List.of(java, "-Xms512m", "-Xmx512m", "-XX:MaxTenuringThreshold=1", "-jar",
                root.resolve("command-service/target/command-service-" + VERSION + "-exec.jar").toString()), commandEnv);
        ingress = process("ingress-service", logs, List.of(java, "-Xms512m", "-Xmx512m", "-jar",
                root.resolve("ingress-service/target/ingress-service-" + VERSION + "-exec.jar").toString()), Map.of(
                "INGRESS_PORT", String.valueOf(ingressPort), "KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap(),
                "CALLSTREAM_EMULATOR_DATA_DIR", emulatorDir.toString(), "ACS_RESOURCE_ID", RESOURCE_ID,
                "ACS_CALLBACK_JWKS_URI", emulatorUrl() + "/calling/keys", "EVENTGRID_SECRETS", eventGridSecret));
    }

    /** Starts everything and waits until each part is ready (at most 3 minutes). */
    public void start() {
        postgres.start();
        kafka.start();
        emulator.start();
        awaitPostgres();
        awaitKafka();
        await(emulator, () -> healthy(emulatorUrl()));
        startCommandService();
        ingress.start();
        await(ingress, () -> healthy(ingressUrl()));
    }

    public void startKafka() {
        kafka.start();
        awaitKafka();
    }

    public void startPostgres() {
        postgres.start();
        awaitPostgres();
    }

    public void startCommandService() {
        commandService.start();
        await(commandService, () -> healthy(URI.create("http://127.0.0.1:" + commandPort)));
    }

    private void awaitKafka() {
        await(kafka, () -> {
            try (Socket ignored = new Socket("127.0.0.1", kafkaPort)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void awaitPostgres() {
        await(postgres, () -> {
            try (var ignored = DriverManager.getConnection(jdbcUrl(), "callstream", "callstream")) {
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    public StackClient.Endpoints endpoints() {
        return new StackClient.Endpoints(emulatorUrl(), emulatorDir.resolve("emulator.crt"), ingressUrl(), kafkaBootstrap(),
                jdbcUrl(), "callstream", "callstream");
    }

    public String eventGridSecret() {
        return eventGridSecret;
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/callstream";
    }

    public URI emulatorUrl() {
        return URI.create("https://127.0.0.1:" + emulatorPort);
    }

    public URI ingressUrl() {
        return URI.create("http://127.0.0.1:" + ingressPort);
    }

    public boolean healthy(URI base) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static void await(ChildProcess process, BooleanSupplier ready) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited during start-up; see " + process.log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(process.name() + " was not ready within 3 minutes; see " + process.log());
            }
            sleep(Duration.ofMillis(200));
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The emulator's data directory: its certificate, access key and signing key. */
    public Path emulatorDir() {
        return emulatorDir;
    }

    /**
     * One more command-service, with its own web port and {@code environment} added (e.g. the same
     * {@code KAFKA_GROUP_ID}, to share the work); started by the caller, stopped with the stack.
     */
    public ChildProcess extraCommandService(String name, Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(commandService.environment());
        env.remove("JDK_JAVA_OPTIONS"); // its safepoint log is named for the process it copies
        env.put("COMMAND_SERVICE_PORT", String.valueOf(freePort()));
        env.putAll(environment);
        return process(name, logs, commandService.command(), env);
    }

    /** One more ingress-service on {@code port}; started by the caller, stopped with the stack. */
    public ChildProcess extraIngress(String name, int port) {
        Map<String, String> env = new HashMap<>(ingress.environment());
        env.remove("JDK_JAVA_OPTIONS"); // its safepoint log is named for the process it copies
        env.put("INGRESS_PORT", String.valueOf(port));
        return process(name, logs, ingress.command(), env);
    }

    /**
     * Any Java main class on {@code classpath}, stopped with the stack. It gets native access, as
     * the services' jars do through their manifest ({@code Enable-Native-Access}).
     */
    public ChildProcess javaProcess(String name, String classpath, String mainClass, Map<String, String> environment, String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classpath, mainClass));
        return process(name, logs, command, environment);
    }

    /**
     * PostgreSQL's own log files, its logging collector's ({@code postgresql-<start time>.log}):
     * {@code workDir/logs/postgres-server}, kept with the other logs when a run's data is deleted.
     */
    public Path postgresLogs() {
        return logs.resolve("postgres-server");
    }

    /** The project's root directory. */
    public Path root() {
        return root;
    }

    /**
     * The directory of every process's log ({@code <name>.log}) and of each JVM's safepoint log
     * ({@code <name>-safepoints-<pid>.log}), kept when a run's data is deleted.
     */
    public Path logs() {
        return logs;
    }

    /**
     * A process of the stack. Each JVM it runs (a script may run several) logs its safepoints, the
     * pauses that stop all of its Java threads, with UTC times to {@code logs/<name>-safepoints-<pid>.log}:
     * through {@code JDK_JAVA_OPTIONS}, which the {@code java} launcher reads, added to any the caller has.
     */
    private ChildProcess process(String name, Path logs, List<String> command, Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        String safepoints = "-Xlog:safepoint:file=" + logs.resolve(name + "-safepoints-%p.log") + ":utctime";
        String inherited = env.getOrDefault("JDK_JAVA_OPTIONS", System.getenv("JDK_JAVA_OPTIONS"));
        env.put("JDK_JAVA_OPTIONS", inherited == null || inherited.isBlank() ? safepoints : inherited + " " + safepoints);
        ChildProcess process = new ChildProcess(name, command, env, logs.resolve(name + ".log"));
        all.add(process);
        return process;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every process, services first, each by its PID. */
    @Override
    public void close() {
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).stop();
        }
    }
}
