package io.callstream.emulator.security;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The HMAC check, against signatures computed as ENDPOINTS.md describes the SDK's policy. */
class HmacSignatureTests {

    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final Instant NOW = Instant.parse("2025-03-04T09:05:07Z");
    private static final String DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC).format(NOW);
    private static final String PATH = "/calling/callConnections?api-version=2025-05-15";
    private static final byte[] BODY = "{\"targets\":[]}".getBytes(StandardCharsets.UTF_8);

    private final HmacSignature hmac = new HmacSignature(KEY);

    @Test
    void theEmptyBodyHashesToTheKnownValue() {
        assertThat(HmacSignature.contentHash(new byte[0])).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    @Test
    void aRequestSignedAsTheSdkSignsItVerifies() throws Exception {
        String hash = HmacSignature.contentHash(BODY);

        assertThat(hmac.verify("POST", PATH, List.of("127.0.0.1"), DATE, hash, authorization("POST", PATH, "127.0.0.1", hash), BODY, NOW))
                .isEmpty();
    }

    @Test
    void aTamperedBodyAWrongKeyAStaleDateOrMissingHeadersAreRefused() throws Exception {
        String hash = HmacSignature.contentHash(BODY);
        String auth = authorization("POST", PATH, "127.0.0.1", hash);

        assertThat(hmac.verify("POST", PATH, List.of("127.0.0.1"), DATE, hash, auth, "{}".getBytes(), NOW)).hasValueSatisfying(
                m -> assertThat(m).contains("x-ms-content-sha256"));
        assertThat(new HmacSignature(Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes()))
                .verify("POST", PATH, List.of("127.0.0.1"), DATE, hash, auth, BODY, NOW)).hasValueSatisfying(
                m -> assertThat(m).contains("Hmac Validation Error"));
        assertThat(hmac.verify("POST", PATH, List.of("127.0.0.1"), DATE, hash, auth, BODY, NOW.plusSeconds(3600)))
                .hasValueSatisfying(m -> assertThat(m).contains("clock skew"));
        assertThat(hmac.verify("DELETE", PATH, List.of("127.0.0.1"), DATE, hash, auth, BODY, NOW)).isPresent();
        assertThat(hmac.verify("POST", PATH, List.of("127.0.0.1"), null, hash, auth, BODY, NOW)).isPresent();
    }

    private static String authorization(String method, String pathAndQuery, String host, String hash) throws Exception {
        String toSign = method + "\n" + pathAndQuery + "\n" + DATE + ";" + host + ";" + hash;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), "HmacSHA256"));
        return "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature="
                + Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    }
}
