package io.callstream.emulator.system;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The emulator's settings ({@code callstream.emulator.*}).
 *
 * @param dataDir where the generated TLS keystore, access key and signing key live
 * @param issuer the {@code iss} of callback JWTs (the real service's by default)
 * @param audience the {@code aud} of callback JWTs: the ACS resource's immutable resource id
 * @param eventDelay how long after a request its first callback is sent; later ones follow at the same pace
 * @param eventGrid where Event Grid deliveries go
 */
@Validated
@ConfigurationProperties("callstream.emulator")
public record EmulatorProperties(@NotNull Path dataDir, @NotBlank String issuer, @NotBlank String audience,
                                 @NotNull Duration eventDelay, @NotNull EventGrid eventGrid) {

    /**
     * @param subscriberUrl the Event Grid subscription's webhook URL, secret query parameter included
     * @param bearerToken an optional static {@code Authorization: Bearer} value sent with each delivery
     */
    public record EventGrid(@NotNull URI subscriberUrl, String bearerToken) {
    }
}
