package io.callstream.emulator;

import io.callstream.emulator.system.LocalCredentials;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The ACS Call Automation emulator: a local, HTTPS stand-in for an Azure Communication Services
 * resource. Before Spring starts, its TLS keystore, access key and callback-signing key are
 * created under the data folder if they do not exist yet ({@link LocalCredentials}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EmulatorApplication {

    public static void main(String[] args) {
        LocalCredentials.ensure(LocalCredentials.dataDir(args));
        SpringApplication.run(EmulatorApplication.class, args);
    }
}
