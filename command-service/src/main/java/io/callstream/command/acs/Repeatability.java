package io.callstream.command.acs;

import com.azure.core.util.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The repeatable-request headers of one command (PROTOCOLS §4): a {@code Repeatability-Request-ID}
 * derived from the commandId, the same on every attempt and after a restart, and a
 * {@code Repeatability-First-Sent} that is the time the command was first claimed. ACS then
 * recognizes a command sent again after a crash and answers it without acting twice.
 *
 * @param requestId a version-4-shaped UUID: SHA-256 of {@code callstream:<commandId>}, with the
 *     version and variant bits set
 * @param firstSent RFC 1123, e.g. {@code Tue, 24 Nov 2026 06:00:00 GMT}
 */
public record Repeatability(String requestId, String firstSent) {

    /** Where the value travels in an azure-core {@link Context}. */
    static final String CONTEXT_KEY = "callstream.repeatability";

    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final ThreadLocal<Repeatability> CURRENT = new ThreadLocal<>();

    /** The headers for a command first claimed at {@code claimedAt}. */
    public static Repeatability of(String commandId, Instant claimedAt) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("callstream:" + commandId).getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x40);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            long most = 0;
            long least = 0;
            for (int i = 0; i < 8; i++) {
                most = (most << 8) | (hash[i] & 0xff);
                least = (least << 8) | (hash[i + 8] & 0xff);
            }
            return new Repeatability(new UUID(most, least).toString(), RFC_1123.format(claimedAt));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code call} with these headers on every ACS request it makes on this thread. */
    public <T> T around(Supplier<T> call) {
        Repeatability outer = CURRENT.get();
        CURRENT.set(this);
        try {
            return call.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The azure-core context for a request made now: carrying the current headers, if any. */
    static Context context() {
        Repeatability current = CURRENT.get();
        return current == null ? Context.NONE : Context.NONE.addData(CONTEXT_KEY, current);
    }
}
