package io.callstream.e2e;

import io.callstream.command.CommandServiceApplication;
import io.callstream.ingress.IngressApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The emulator is never reachable from the {@code prod} profile: both services refuse to start on
 * emulator settings, with the setting at fault in the message, and ingress starts on ACS's own.
 */
class ProductionProfileTests {

    private static final String EXCLUDE_DATABASE = "--spring.autoconfigure.exclude="
            + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
            + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";

    /**
     * Gives the context Reactor Netty resources of its own: closed, it would otherwise take down the
     * JVM-wide ones that the shared stack's servers run on.
     */
    private static final ApplicationContextInitializer<ConfigurableApplicationContext> OWN_NETTY_RESOURCES = context ->
            context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                @Override
                public Object postProcessBeforeInitialization(Object bean, String name) {
                    if (bean instanceof ReactorResourceFactory resources) {
                        resources.setUseGlobalResources(false);
                    }
                    return bean;
                }
            });

    @Test
    void ingressRefusesTheEmulatorsSigningKeys() {
        assertThatThrownBy(() -> IngressApplication.application().run("--spring.profiles.active=prod", "--server.port=0",
                "--callstream.ingress.callbacks.jwk-set-uri=https://127.0.0.1:8443/calling/keys",
                "--callstream.ingress.event-grid.secrets=s3cret", EXCLUDE_DATABASE))
                .hasStackTraceContaining("the prod profile refuses emulator settings")
                .hasStackTraceContaining("https://127.0.0.1:8443/calling/keys (ACS_CALLBACK_JWKS_URI), a loopback address");
    }

    @Test
    void ingressRefusesTheEmulatorProfileAlongsideProd() {
        assertThatThrownBy(() -> IngressApplication.application().run("--spring.profiles.active=prod,emulator", "--server.port=0",
                "--callstream.ingress.event-grid.secrets=s3cret", EXCLUDE_DATABASE))
                .hasStackTraceContaining("the emulator profile is active");
    }

    @Test
    void ingressStartsOnAcssOwnSettings() {
        try (ConfigurableApplicationContext ingress = IngressApplication.application().initializers(OWN_NETTY_RESOURCES).run("--spring.profiles.active=prod",
                "--server.port=0", "--server.address=127.0.0.1", "--callstream.ingress.event-grid.secrets=s3cret", EXCLUDE_DATABASE)) {
            assertThat(ingress.getEnvironment().getProperty("callstream.ingress.callbacks.jwk-set-uri"))
                    .isEqualTo("https://acscallautomation.communication.azure.com/calling/keys");
        }
    }

    @Test
    void commandServiceRefusesAnAcsEndpointOnLoopback() {
        assertThatThrownBy(() -> CommandServiceApplication.application().run("--spring.profiles.active=prod", "--server.port=0",
                "--callstream.acs.connection-string=endpoint=https://127.0.0.1:8443/;accesskey=a2V5",
                "--callstream.acs.ssl-bundle=acs-emulator"))
                .hasStackTraceContaining("the ACS endpoint https://127.0.0.1:8443/ (ACS_CONNECTION_STRING) is a loopback address")
                .hasStackTraceContaining("the emulator's SSL bundle (ACS_SSL_BUNDLE)");
    }
}
