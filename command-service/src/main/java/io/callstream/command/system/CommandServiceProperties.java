package io.callstream.command.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * command-service's settings ({@code callstream.*}).
 *
 * @param acs how to reach ACS
 * @param kafka topic layout
 */
@Validated
@ConfigurationProperties("callstream")
public record CommandServiceProperties(@Valid @NotNull Acs acs, @Valid @NotNull Kafka kafka) {

    /**
     * @param connectionString the ACS resource's connection string ({@code endpoint=https://…;accesskey=…})
     * @param callbackUri the public URL of ingress-service's {@code /api/callbacks}, sent as every call's callback URI
     * @param sslBundle the Spring Boot SSL bundle whose trust material verifies the ACS endpoint
     *     (the emulator's self-signed certificate locally); empty for the JDK's default trust
     * @param requestTimeout the longest one ACS request may take
     */
    public record Acs(@NotBlank String connectionString, @NotNull URI callbackUri, String sslBundle,
                      @NotNull Duration requestTimeout) {
    }

    /**
     * @param partitions partitions of each topic callstream creates
     * @param replicationFactor replication of each topic callstream creates
     */
    public record Kafka(@Positive int partitions, @Positive short replicationFactor) {
    }
}
