package io.callstream.e2e;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot run here (no Docker engine), so these checks keep it consistent
 * with what does run: the same services and ports as {@code make run}, a healthcheck on each,
 * jars that the build produces, each service JVM's fixed heap and options as in {@code make run}, and otherwise only
 * environment variables that the services' own configuration files read.
 */
class ComposeFileTests {

    private static final Path ROOT = Path.of(System.getProperty("callstream.root", ".."));
    private static final Map<String, String> CONFIG = Map.of(
            "acs-emulator", "infra/acs-emulator/src/main/resources/acs-emulator.yaml",
            "ingress-service", "ingress-service/src/main/resources/ingress-service.yaml",
            "command-service", "command-service/src/main/resources/command-service.yaml");

    /** Read by the {@code java} launcher itself (JDK 9+), not by the service's configuration. */
    private static final String LAUNCHER_OPTIONS = "JDK_JAVA_OPTIONS";

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void itRunsTheSameServicesOnTheSamePortsAsMakeRunEachWithAHealthcheck() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(services).containsOnlyKeys("kafka", "postgres", "acs-emulator", "ingress-service", "command-service");
        assertThat(services.get("kafka").get("ports")).isEqualTo(List.of("127.0.0.1:9092:9092"));
        assertThat(services.get("postgres").get("ports")).isEqualTo(List.of("127.0.0.1:15432:5432"));
        assertThat(services.get("acs-emulator").get("ports")).isEqualTo(List.of("127.0.0.1:8443:8443"));
        assertThat(services.get("ingress-service").get("ports")).isEqualTo(List.of("127.0.0.1:8080:8080"));
        assertThat(services.get("command-service").get("ports")).isEqualTo(List.of("127.0.0.1:8081:8081"));
        assertThat(services.values()).allSatisfy(service -> assertThat(service).containsKey("healthcheck"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachApplicationImageIsBuiltFromItsModulesExecutableJar() throws IOException {
        for (var entry : CONFIG.entrySet()) {
            Map<String, Object> build = (Map<String, Object>) services().get(entry.getKey()).get("build");
            String jar = (String) ((Map<String, Object>) build.get("args")).get("JAR");
            Path module = ROOT.resolve(Path.of(entry.getValue()).getName(0).toString().equals("infra")
                    ? "infra/" + Path.of(entry.getValue()).getName(1) : Path.of(entry.getValue()).getName(0).toString());

            assertThat(jar).startsWith(ROOT.relativize(module) + "/target/" + entry.getKey() + "-").endsWith("-exec.jar");
            assertThat(Files.readString(module.resolve("pom.xml"))).contains("<artifactId>" + entry.getKey() + "</artifactId>");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyEnvironmentVariableItSetsIsOneTheServiceReads() throws IOException {
        for (var entry : CONFIG.entrySet()) {
            String config = Files.readString(ROOT.resolve(entry.getValue()));
            Map<String, Object> environment = (Map<String, Object>) services().get(entry.getKey()).get("environment");

            assertThat(environment.keySet()).as(entry.getKey())
                    .filteredOn(name -> !name.equals(LAUNCHER_OPTIONS))
                    .allSatisfy(name -> assertThat(config).as(entry.getKey() + " reads " + name).contains("${" + name));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachServiceJvmGetsTheFixedHeapAndOptionsItHasInMakeRun() throws IOException {
        String runStack = Files.readString(ROOT.resolve("infra/bin/run-stack"));
        Map<String, String> jarVariable = Map.of(
                "acs-emulator", "emulator_jar", "ingress-service", "ingress_jar", "command-service", "command_jar");
        for (String service : CONFIG.keySet()) {
            Map<String, Object> environment = (Map<String, Object>) services().get(service).get("environment");
            String options = (String) environment.get(LAUNCHER_OPTIONS);

            // A fixed heap first, then any of HotSpot's -XX options (command-service's tenuring threshold).
            assertThat(options).as(service).matches("-Xms(\\d+[mg]) -Xmx\\1( -XX:\\S+)*");
            assertThat(runStack).as(service + " in infra/bin/run-stack")
                    .contains("\"$java\" " + options + " -jar \"$" + jarVariable.get(service) + "\"");
        }
    }
}
