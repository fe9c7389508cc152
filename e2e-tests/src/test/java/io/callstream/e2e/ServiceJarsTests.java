package io.callstream.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executable jars that {@code make run}, docker-compose.yml and the bench start with
 * {@code java -jar}, as the build produced them (module {@code target/} directories).
 */
class ServiceJarsTests {

    private static final Path ROOT = Path.of(System.getProperty("callstream.root", ".."));

    /**
     * Without native access, Netty 4.2 on Java 25 frees each chunk of direct memory by closing a
     * shared Arena, a handshake that stops every thread of the JVM: jstack under callback load
     * caught ingress's event loops in it in four of eight dumps ({@code make bench}).
     */
    @ParameterizedTest
    @ValueSource(strings = {"ingress-service", "command-service", "infra/acs-emulator"})
    void eachServiceJarGrantsNativeAccessSoNettyFreesMemoryWithoutStoppingTheJvm(String module) throws IOException {
        Path jar;
        try (Stream<Path> built = Files.list(ROOT.resolve(module).resolve("target"))) {
            jar = built.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no -exec.jar in " + module + "/target: run the build first"));
        }

        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
        }
    }
}
