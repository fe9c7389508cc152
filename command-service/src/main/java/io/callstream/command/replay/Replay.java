package io.callstream.command.replay;

import io.callstream.command.CommandServiceApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code make replay}, or {@code java -jar command-service.jar replay [--name=value …]}: runs
 * command-service's code as a one-off that rebuilds every projection from the Kafka log into a
 * fresh schema {@code replay_<UTC time>} and swaps it in ({@link Replayer}), then exits: 0 when
 * done, 1 with the reason otherwise. command-service itself must be stopped. The settings are
 * the service's ({@code command-service.yaml}, its environment variables), plus
 * {@code --callstream.replay.swap=false} to rebuild without swapping.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * Rebuilds into {@code schema}.
     *
     * @param args further {@code --name=value} settings
     * @return the report
     */
    public static Replayer.Report run(String schema, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--callstream.replay.schema=" + schema,
                "--spring.flyway.schemas=" + schema,
                "--spring.datasource.hikari.schema=" + schema,
                "--spring.main.web-application-type=none"));
        try (ConfigurableApplicationContext context = CommandServiceApplication.application().run(all.toArray(String[]::new))) {
            return context.getBean(Replayer.class).run();
        }
    }

    /** A fresh schema name for a replay now. */
    public static String newSchema() {
        return "replay_" + DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    public static void main(String[] args) {
        try {
            Replayer.Report report = run(newSchema(), args);
            System.out.println("Replayed into schema " + report.schema() + ":");
            report.recordsByTopic().forEach((topic, n) -> System.out.printf("  %-26s %,10d records%n", topic, n));
            if (report.unreadable() > 0) {
                System.out.printf("  (%d unreadable records skipped: events the live service dead-lettered, or results no command needs)%n",
                        report.unreadable());
            }
            report.rowsByTable().forEach((table, n) -> System.out.printf("  %-26s %,10d rows%n", table, n));
            System.out.println(report.previousSchema() != null
                    ? "Swapped in: the previous projections are kept in schema " + report.previousSchema()
                    : "Not swapped (callstream.replay.swap=false).");
            System.exit(0);
        } catch (RuntimeException e) {
            System.err.println("replay failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
