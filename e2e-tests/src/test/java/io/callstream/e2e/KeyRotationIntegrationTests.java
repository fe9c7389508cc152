package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callback signing-key rotation is picked up from the JWKS without a restart: after the emulator
 * signs with a new key, ingress fetches the key set again for the unknown {@code kid} and keeps
 * accepting callbacks.
 */
@ExtendWith(StackExtension.class)
class KeyRotationIntegrationTests {

    @Test
    void callbacksSignedWithARotatedKeyAreAcceptedWithoutARestart(StackClient client, LocalStack stack) {
        assertThat(client.deliverCallback(callback()).status()).isEqualTo(200);

        StackClient.Answer rotated = client.post(stack.emulatorUrl().resolve("/emulator/keys/rotate"), "{}");
        StackClient.Answer afterRotation = client.deliverCallback(callback());
        StackClient.Answer keys = client.send(java.net.http.HttpRequest.newBuilder(stack.emulatorUrl().resolve("/calling/keys"))
                .timeout(StackClient.timeout).GET().build());

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(afterRotation.status()).isEqualTo(200);
        assertThat(keys.json().path("keys")).hasSize(2);
        assertThat(keys.json().path("keys").path(0).path("kid").asText()).isEqualTo(rotated.json().path("kid").asText());
    }

    private static byte[] callback() {
        return ("[{\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"calling/callConnections/rotation\",\"type\":\"Microsoft.Communication.PlayCompleted\","
                + "\"specversion\":\"1.0\",\"datacontenttype\":\"application/json\",\"data\":{\"callConnectionId\":\"rotation\","
                + "\"serverCallId\":\"rotation\"}}]").getBytes();
    }
}
