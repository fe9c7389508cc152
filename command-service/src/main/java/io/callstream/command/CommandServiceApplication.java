package io.callstream.command;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * command-service: consumes {@code acs.eventgrid}, {@code acs.callbacks} and {@code calls.commands},
 * executes commands against ACS Call Automation, and projects call history into PostgreSQL.
 * Its configuration file is {@code command-service.yaml}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CommandServiceApplication {

    /** The application, reading {@code command-service.yaml}. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(CommandServiceApplication.class).properties("spring.config.name=command-service");
    }

    /** Runs the service; {@code replay [--name=value …]} runs {@link io.callstream.command.replay.Replay} instead. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("replay")) {
            io.callstream.command.replay.Replay.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        application().run(args);
    }
}
