package io.callstream.command.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
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
     * @param requestTimeout the longest one attempt of an ACS request may take before it is retried
     * @param retry how requests ACS throttles (429), fails (500, 502, 503, 504) or leaves unanswered are retried
     */
    public record Acs(@NotBlank String connectionString, @NotNull URI callbackUri, String sslBundle,
                      @NotNull Duration requestTimeout, @Valid @NotNull Retry retry) {

        /**
         * The longest one command's ACS request can take, all attempts and computed waits included
         * (a longer {@code Retry-After} from ACS adds to it): how long a command can hold up its
         * partition while ACS is down or throttling.
         */
        public Duration worstCase() {
            return requestTimeout.plus(retry.maxDelay()).multipliedBy(retry.maxRetries() + 1L);
        }
    }

    /**
     * Exponential backoff between attempts (azure-core's {@code ExponentialBackoff}); a
     * {@code Retry-After}, {@code retry-after-ms} or {@code x-ms-retry-after-ms} header from ACS
     * replaces the computed delay, up to {@code maxDelay}.
     *
     * @param maxRetries attempts after the first
     * @param baseDelay the first delay, doubled on each retry
     * @param maxDelay the longest computed delay between two attempts
     */
    public record Retry(@PositiveOrZero int maxRetries, @NotNull Duration baseDelay, @NotNull Duration maxDelay) {
    }

    /**
     * @param partitions partitions of each topic callstream creates
     * @param replicationFactor replication of each topic callstream creates
     * @param commandConcurrency consumers of {@code calls.commands} in this instance, each with its own partitions
     * @param eventConcurrency consumers of the event topics in this instance, each projecting its own
     *     partitions in its own transactions
     * @param logRetention {@code retention.ms} of the event, command and result topics; negative for
     *     forever (the default), which {@code make replay} needs to rebuild everything
     * @param deadLetterRetention {@code retention.ms} of the {@code .DLT} topics
     */
    public record Kafka(@Positive int partitions, @Positive short replicationFactor, @Positive int commandConcurrency,
                        @Positive int eventConcurrency, @NotNull Duration logRetention, @NotNull Duration deadLetterRetention) {
    }
}
