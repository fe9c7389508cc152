package io.callstream.e2e.support;

import io.callstream.command.CommandServiceApplication;
import io.callstream.e2e.StackClient;
import io.callstream.e2e.processes.ProcessStack;
import io.callstream.emulator.EmulatorApplication;
import io.callstream.emulator.system.LocalCredentials;
import io.callstream.events.Topics;
import io.callstream.ingress.IngressApplication;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * callstream's whole pipeline in this JVM: a Kafka KRaft broker, PostgreSQL, the ACS emulator
 * (HTTPS, its own generated certificate and keys), ingress-service and command-service, each
 * Spring application in its own context and wired to the others as {@code make run} wires them.
 * The applications share one classpath here, so each excludes the auto-configuration that
 * belongs to the others (security in the emulator, a DataSource in ingress, …).
 */
public final class LocalStack implements AutoCloseable {

    private static final String JDBC = "org.springframework.boot.jdbc.autoconfigure.";
    private static final String SECURITY = "org.springframework.boot.security.";
    private static final List<String> NO_DATABASE = List.of(JDBC + "DataSourceAutoConfiguration",
            JDBC + "DataSourceTransactionManagerAutoConfiguration", JDBC + "JdbcTemplateAutoConfiguration",
            JDBC + "JdbcClientAutoConfiguration", JDBC + "DataSourceInitializationAutoConfiguration",
            JDBC + "health.DataSourceHealthContributorAutoConfiguration", JDBC + "metrics.DataSourcePoolMetricsAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
    private static final List<String> NO_SECURITY = List.of(SECURITY + "autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
            SECURITY + "autoconfigure.SecurityAutoConfiguration",
            SECURITY + "autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
            SECURITY + "autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
            SECURITY + "oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration",
            SECURITY + "oauth2.server.resource.autoconfigure.web.reactive.ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration");
    private static final List<String> NO_KAFKA = List.of("org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
            "org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration");

    /** The ACS resource id the emulator signs callbacks for and ingress expects. */
    public static final String RESOURCE_ID = "11111111-2222-3333-4444-555555555555";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private EmbeddedKafkaKraftBroker kafka;
    private TestPostgres postgres;
    private Path emulatorDir;
    private String eventGridSecret;
    private URI emulatorUrl;
    private URI ingressUrl;
    private ConfigurableApplicationContext commandService;
    private String commandServiceGroup;
    private List<String> commandServiceArgs;

    private LocalStack() {
    }

    /** Starts everything; stops what started if anything fails. */
    public static LocalStack start() {
        LocalStack stack = new LocalStack();
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.afterPropertiesSet();
        resources.add(kafka::destroy);
        postgres = TestPostgres.start();
        resources.add(postgres);
        try {
            emulatorDir = Files.createTempDirectory("acs-emulator");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalCredentials.ensure(emulatorDir);
        eventGridSecret = UUID.randomUUID().toString();
        int emulatorPort = freePort();
        int ingressPort = freePort();
        emulatorUrl = URI.create("https://127.0.0.1:" + emulatorPort);
        ingressUrl = URI.create("http://127.0.0.1:" + ingressPort);

        ingress(kafka.getBrokersAsString(), ingressPort);
        run(EmulatorApplication.application(), exclusions(NO_DATABASE, NO_SECURITY, NO_KAFKA),
                "--server.port=" + emulatorPort,
                "--callstream.emulator.data-dir=" + emulatorDir,
                "--callstream.emulator.audience=" + RESOURCE_ID,
                "--callstream.emulator.event-delay=20ms",
                "--callstream.emulator.event-grid.subscriber-url=" + ingressUrl + "/api/eventgrid?secret=" + eventGridSecret);
        commandServiceGroup = "command-service-" + UUID.randomUUID();
        commandServiceArgs = List.of(
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.user(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--spring.kafka.consumer.group-id=" + commandServiceGroup,
                "--spring.ssl.bundle.pem.acs-emulator.truststore.certificate=file:" + emulatorDir.resolve("emulator.crt"),
                "--callstream.kafka.partitions=3",
                // Short enough for the fault tests to wait out every retry.
                "--callstream.acs.request-timeout=2s",
                "--callstream.acs.retry.base-delay=100ms",
                "--callstream.acs.retry.max-delay=1s",
                "--callstream.acs.connection-string=endpoint=" + emulatorUrl + "/;accesskey=" + LocalCredentials.accessKey(emulatorDir),
                "--callstream.acs.callback-uri=" + ingressUrl + "/api/callbacks",
                // Its context would take the JVM's shared Reactor Netty resources down with it on close (a replay's does).
                "--spring.autoconfigure.exclude=" + exclusions(NO_SECURITY,
                        List.of("org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration")));
        List<String> serviceArgs = new ArrayList<>(commandServiceArgs);
        serviceArgs.add("--server.port=0");
        serviceArgs.add("--server.address=127.0.0.1");
        commandService = CommandServiceApplication.application().run(serviceArgs.toArray(String[]::new));
        resources.add(commandService::close);
    }

    /** command-service's settings in this stack (without its web server's), for a replay of its log. */
    public List<String> commandServiceArgs() {
        return commandServiceArgs;
    }

    /** The consumer group of command-service in this stack. */
    public String commandServiceGroup() {
        return commandServiceGroup;
    }

    /**
     * Starts an ingress-service on {@code port} against {@code kafkaBootstrap}, with extra
     * {@code --name=value} arguments; stopped with the stack.
     *
     * @return its base URL
     */
    public URI ingress(String kafkaBootstrap, int port, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + kafkaBootstrap,
                "--spring.ssl.bundle.pem.acs-emulator.truststore.certificate=file:" + emulatorDir.resolve("emulator.crt"),
                "--callstream.ingress.callbacks.jwk-set-uri=" + emulatorUrl + "/calling/keys",
                "--callstream.ingress.callbacks.audience=" + RESOURCE_ID,
                "--callstream.ingress.event-grid.secrets=" + eventGridSecret));
        args.addAll(List.of(extraArgs));
        run(IngressApplication.application(), exclusions(NO_DATABASE), args.toArray(String[]::new));
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client of this stack, as a user would hold one. */
    public StackClient client() {
        return new StackClient(new StackClient.Endpoints(emulatorUrl, emulatorDir.resolve("emulator.crt"), ingressUrl,
                kafka.getBrokersAsString(), postgres.jdbcUrl(), postgres.user(), postgres.password()));
    }

    public URI emulatorUrl() {
        return emulatorUrl;
    }

    public URI ingressUrl() {
        return ingressUrl;
    }

    public String eventGridSecret() {
        return eventGridSecret;
    }

    public Path emulatorDir() {
        return emulatorDir;
    }

    public String kafkaBootstrap() {
        return kafka.getBrokersAsString();
    }

    public ConfigurableApplicationContext commandService() {
        return commandService;
    }

    /**
     * Waits until command-service has consumed and committed everything on the event and command
     * topics, so that a test can check what was (not) projected.
     */
    public void awaitConsumed() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap()))) {
            Awaitility.await("command-service caught up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> lag(admin) == 0);
        }
    }

    private long lag(Admin admin) throws Exception {
        Set<String> topics = Set.of(Topics.ACS_EVENTGRID, Topics.ACS_CALLBACKS, Topics.CALLS_COMMANDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) -> description.partitions()
                .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        var ends = admin.listOffsets(latest).all().get();
        var committed = admin.listConsumerGroupOffsets(commandServiceGroup).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() {
        return ProcessStack.freePort();
    }

    private ConfigurableApplicationContext run(SpringApplicationBuilder application, String exclusions, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--spring.autoconfigure.exclude=" + exclusions;
        all[args.length + 1] = "--server.address=127.0.0.1";
        ConfigurableApplicationContext context = application.run(all);
        resources.add(context::close);
        return context;
    }

    @SafeVarargs
    private static String exclusions(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return String.join(",", all);
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                TestPostgres.LOG.warn("stopping a test resource failed", e);
            }
        }
        resources.clear();
    }
}
