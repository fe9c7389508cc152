package io.callstream.ingress.system;

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
 * With the {@code prod} profile, ingress refuses to start on emulator settings, before any other
 * bean exists: the {@code emulator} profile active too, callback signing keys fetched from a
 * loopback address (where the emulator serves them), an issuer other than ACS's, or the
 * emulator's SSL bundle. The emulator's keys can then never authenticate a callback in production.
 *
 * @throws IllegalStateException at start-up, naming every setting at fault
 */
@Component
@Profile("prod")
class ProductionGuard implements BeanFactoryPostProcessor, EnvironmentAware {

    /** The issuer of Call Automation's callback JWTs (PROTOCOLS §1). */
    static final String ACS_ISSUER = "https://acscallautomation.communication.azure.com";

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
        String jwks = binder.bind("callstream.ingress.callbacks.jwk-set-uri", String.class).orElse("");
        if (isLoopback(jwks)) {
            problems.add("callback signing keys come from " + jwks + " (ACS_CALLBACK_JWKS_URI), a loopback address");
        }
        String issuer = binder.bind("callstream.ingress.callbacks.issuer", String.class).orElse("");
        if (!ACS_ISSUER.equals(issuer)) {
            problems.add("the callback issuer is " + issuer + " (ACS_CALLBACK_ISSUER), not " + ACS_ISSUER);
        }
        if ("acs-emulator".equals(binder.bind("callstream.ingress.callbacks.ssl-bundle", String.class).orElse(""))) {
            problems.add("callback signing keys are fetched with the emulator's SSL bundle");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the prod profile refuses emulator settings: " + String.join("; ", problems));
        }
    }

    static boolean isLoopback(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host != null && (host.equalsIgnoreCase("localhost") || InetAddress.getByName(host).isLoopbackAddress());
        } catch (IllegalArgumentException | UnknownHostException e) {
            return false;
        }
    }
}
