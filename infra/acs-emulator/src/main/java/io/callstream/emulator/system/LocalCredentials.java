package io.callstream.emulator.system;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's local secrets, generated on first start and kept in the data folder (never
 * committed): a self-signed TLS certificate ({@code emulator.p12}, exported as {@code emulator.crt}
 * for clients to trust), the resource access key ({@code access-key}, base64 of 32 random bytes)
 * and the RSA key that signs callback JWTs ({@code jwt-signing-key.json}, a JWK).
 *
 * <p>The certificate is made with the JDK's own {@code keytool}, for {@code localhost} and
 * {@code 127.0.0.1}.
 */
public final class LocalCredentials {

    /** Password of the generated PKCS12 keystore; it protects nothing but a local test certificate. */
    public static final String KEYSTORE_PASSWORD = "callstream-emulator";

    private LocalCredentials() {
    }

    /** The data folder: {@code --callstream.emulator.data-dir=…}, else {@code CALLSTREAM_EMULATOR_DATA_DIR}, else {@code .local/emulator}. */
    public static Path dataDir(String[] args) {
        for (String arg : args) {
            if (arg.startsWith("--callstream.emulator.data-dir=")) {
                return Path.of(arg.substring(arg.indexOf('=') + 1));
            }
        }
        String env = System.getenv("CALLSTREAM_EMULATOR_DATA_DIR");
        return Path.of(env != null && !env.isBlank() ? env : ".local/emulator");
    }

    /**
     * Creates whatever is missing in {@code dir}.
     *
     * @throws IllegalStateException when keytool fails
     */
    public static synchronized void ensure(Path dir) {
        try {
            Files.createDirectories(dir);
            Path keystore = dir.resolve("emulator.p12");
            if (!Files.exists(keystore)) {
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                run(List.of(keytool, "-genkeypair", "-alias", "emulator", "-keyalg", "RSA", "-keysize", "2048",
                        "-validity", "3650", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,dns:acs-emulator,ip:127.0.0.1",
                        "-storetype", "PKCS12", "-keystore", keystore.toString(),
                        "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD));
                run(List.of(keytool, "-exportcert", "-rfc", "-alias", "emulator", "-keystore", keystore.toString(),
                        "-storepass", KEYSTORE_PASSWORD, "-file", dir.resolve("emulator.crt").toString()));
            }
            Path accessKey = dir.resolve("access-key");
            if (!Files.exists(accessKey)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.writeString(accessKey, Base64.getEncoder().encodeToString(key));
            }
            Path signingKey = dir.resolve("jwt-signing-key.json");
            if (!Files.exists(signingKey)) {
                RSAKey rsa = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
                Files.writeString(signingKey, rsa.toJSONString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the JWT signing key", e);
        }
    }

    /** The resource access key (base64), as a connection string's {@code accesskey}. */
    public static String accessKey(Path dir) {
        return read(dir.resolve("access-key")).trim();
    }

    /** The callback-signing key, private part included. */
    public static RSAKey signingKey(Path dir) {
        try {
            return RSAKey.parse(read(dir.resolve("jwt-signing-key.json")));
        } catch (ParseException e) {
            throw new IllegalStateException("unreadable JWT signing key in " + dir, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
