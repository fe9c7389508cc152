package io.callstream.emulator.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ACS's HMAC-SHA256 request signature, as the service checks it (ENDPOINTS.md "HMAC request
 * signing"; learn.microsoft.com/rest/api/communication/authentication):
 * {@code base64(HMAC-SHA256(accessKey, VERB\npathAndQuery\nx-ms-date;host;x-ms-content-sha256))},
 * sent as {@code Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…}.
 */
public final class HmacSignature {

    /** How far {@code x-ms-date} may be from the emulator's clock. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(15);

    private static final Pattern AUTHORIZATION =
            Pattern.compile("^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=(.+)$");

    private final byte[] key;

    /** @param accessKeyBase64 the resource's access key as in the connection string */
    public HmacSignature(String accessKeyBase64) {
        this.key = Base64.getDecoder().decode(accessKeyBase64);
    }

    /**
     * Checks one request.
     *
     * @param method HTTP method
     * @param pathAndQuery the raw (still percent-encoded) path and query of the request URL
     * @param hosts the host values to accept (with and without port)
     * @param date the {@code x-ms-date} header
     * @param contentHash the {@code x-ms-content-sha256} header
     * @param authorization the {@code Authorization} header
     * @param body the exact body bytes (empty for none)
     * @param now the current time
     * @return empty when valid, else the reason in words
     */
    public Optional<String> verify(String method, String pathAndQuery, Iterable<String> hosts, String date,
                                   String contentHash, String authorization, byte[] body, Instant now) {
        if (authorization == null || date == null || contentHash == null) {
            return Optional.of("Missing HMAC headers: Authorization, x-ms-date and x-ms-content-sha256 are required.");
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            return Optional.of("Authorization header is not an HMAC-SHA256 signature.");
        }
        if (!contentHash.equals(contentHash(body))) {
            return Optional.of("x-ms-content-sha256 does not match the body.");
        }
        try {
            Instant sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            if (Duration.between(sent, now).abs().compareTo(CLOCK_SKEW) > 0) {
                return Optional.of("x-ms-date is outside the allowed clock skew.");
            }
        } catch (DateTimeParseException e) {
            return Optional.of("x-ms-date is not an RFC 1123 date.");
        }
        byte[] given = Base64.getDecoder().decode(m.group(1));
        for (String host : hosts) {
            String toSign = method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n" + date + ";" + host + ";" + contentHash;
            if (MessageDigest.isEqual(given, sign(toSign))) {
                return Optional.empty();
            }
        }
        return Optional.of("Hmac Validation Error: the signature does not match.");
    }

    /** base64(SHA-256(body)). */
    public static String contentHash(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] sign(String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
