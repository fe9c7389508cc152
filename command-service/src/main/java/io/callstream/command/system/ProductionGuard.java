package io.callstream.command.system;

import com.azure.communication.common.implementation.CommunicationConnectionString;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * With the {@code prod} profile, command-service refuses to start on emulator settings, before
 * any other bean exists: the {@code emulator} profile active too, an ACS endpoint on a loopback
 * address (where the emulator listens), or the emulator's SSL bundle. No command can then reach
 * the emulator from production, and none meant for the emulator reaches ACS.
 *
 * @throws IllegalStateException at start-up, naming every setting at fault
 */
@Component
@Profile("prod")
class ProductionGuard implements BeanFactoryPostProcessor, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Binder binder = Binder.get(environment);
        List<String> problems = new ArrayList<>();
        if (environment.acceptsProfiles(Profiles.of("emulator"))) {
            problems.add("the emulator profile is active");
        }
        String connectionString = binder.bind("callstream.acs.connection-string", String.class).orElse("");
        String endpoint;
        try {
            endpoint = new CommunicationConnectionString(connectionString).getEndpoint();
        } catch (RuntimeException e) {
            endpoint = "";
        }
        if (isLoopback(endpoint)) {
            problems.add("the ACS endpoint " + endpoint + " (ACS_CONNECTION_STRING) is a loopback address");
        }
        if ("acs-emulator".equals(binder.bind("callstream.acs.ssl-bundle", String.class).orElse(""))) {
            problems.add("ACS is reached with the emulator's SSL bundle (ACS_SSL_BUNDLE)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the prod profile refuses emulator settings: " + String.join("; ", problems));
        }
    }

    private static boolean isLoopback(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host != null && (host.equalsIgnoreCase("localhost") || InetAddress.getByName(host).isLoopbackAddress());
        } catch (IllegalArgumentException | UnknownHostException e) {
            return false;
        }
    }
}
