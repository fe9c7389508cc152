package io.callstream.emulator;

import io.callstream.emulator.system.LocalCredentials;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The ACS Call Automation emulator: a local, HTTPS stand-in for an Azure Communication Services
 * resource. Before Spring starts, its TLS keystore, access key and callback-signing key are
 * created under the data folder if they do not exist yet ({@link LocalCredentials}). Its
 * configuration file is {@code acs-emulator.yaml}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EmulatorApplication {

    /** The application, reading {@code acs-emulator.yaml}; the data folder must be prepared first. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(EmulatorApplication.class).properties("spring.config.name=acs-emulator");
    }

    public static void main(String[] args) {
        LocalCredentials.ensure(LocalCredentials.dataDir(args));
        application().run(args);
    }
}
