package io.callstream.ingress.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * ingress-service's settings ({@code callstream.ingress.*}).
 *
 * @param callbacks how Call Automation callbacks are authenticated (PROTOCOLS §1)
 * @param eventGrid how Event Grid deliveries are authenticated (PROTOCOLS §2)
 * @param maxBodySize the largest request body accepted; larger gets 413 (Event Grid's event limit is 1 MB)
 * @param publishTimeout how long a delivery waits for Kafka's acknowledgement before answering 503
 */
@Validated
@ConfigurationProperties("callstream.ingress")
public record IngressProperties(@Valid @NotNull Callbacks callbacks, @Valid @NotNull EventGrid eventGrid,
                                @NotNull DataSize maxBodySize, @NotNull Duration publishTimeout) {

    /**
     * @param jwkSetUri where the callback signing keys are published ({@code …/calling/keys})
     * @param issuer the expected {@code iss}
     * @param audience the expected {@code aud}: the ACS resource's immutable resource id
     * @param sslBundle an SSL bundle trusting the JWKS host (the emulator locally); empty for default trust
     */
    public record Callbacks(@NotNull URI jwkSetUri, @NotBlank String issuer, @NotBlank String audience, String sslBundle) {
    }

    /**
     * @param auth {@code secret} (a shared secret in the {@code secret} query parameter or the
     *     {@code X-Callstream-Secret} header) or {@code entra} (a Microsoft Entra bearer token)
     * @param secrets accepted secrets; several during a rotation
     * @param entra the Entra token checks, for {@code entra}
     */
    public record EventGrid(@NotBlank String auth, List<String> secrets, @Valid Entra entra) {
    }

    /**
     * @param jwkSetUri the tenant's signing keys ({@code https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys})
     * @param issuer the tenant issuer
     * @param audience the webhook application's id or App ID URI
     * @param role the app role Event Grid must hold ({@code AzureEventGridSecureWebhookSubscriber})
     */
    public record Entra(URI jwkSetUri, String issuer, String audience, String role) {
    }
}
