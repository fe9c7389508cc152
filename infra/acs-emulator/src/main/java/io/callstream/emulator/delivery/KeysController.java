package io.callstream.emulator.delivery;

import io.callstream.emulator.system.EmulatorProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Where receivers find the keys that verify callback JWTs, at the real service's paths
 * (PROTOCOLS §1): {@code /calling/keys} (a JWK Set) and
 * {@code /calling/.well-known/acsopenidconfiguration}.
 */
@RestController
class KeysController {

    private final CallbackTokens tokens;
    private final EmulatorProperties properties;

    KeysController(CallbackTokens tokens, EmulatorProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    @GetMapping("/calling/keys")
    Map<String, Object> keys() {
        return tokens.jwks();
    }

    /** Control API (not ACS): rotate the callback-signing key; answers the new key id. */
    @org.springframework.web.bind.annotation.PostMapping("/emulator/keys/rotate")
    Map<String, Object> rotate() {
        return Map.of("kid", tokens.rotate());
    }

    @GetMapping("/calling/.well-known/acsopenidconfiguration")
    Map<String, Object> openIdConfiguration() {
        return Map.of("issuer", properties.issuer(),
                "jwks_uri", properties.issuer() + "/calling/keys",
                "id_token_signing_alg_values_supported", new String[]{"RS256"});
    }
}
