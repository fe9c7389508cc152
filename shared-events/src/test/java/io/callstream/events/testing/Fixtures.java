package io.callstream.events.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the real ACS payloads in {@code ../shared/fixtures} (see its SOURCES.md) exactly as
 * delivered. The folder comes from the {@code callstream.fixtures} system property, which the
 * parent pom sets for every test run.
 */
public final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which channel a fixture arrives on. */
    public enum Channel { EVENTGRID, CALLBACKS }

    /**
     * One fixture file.
     *
     * @param name the file name, e.g. {@code CallConnected.json}
     * @param channel how a real sender delivers it
     * @param body the file's bytes, unchanged
     */
    public record Fixture(String name, Channel channel, byte[] body) {

        /** The events of the file: the array's elements, or the single object. */
        public List<JsonNode> events() {
            try {
                JsonNode root = JSON.readTree(body);
                List<JsonNode> list = new ArrayList<>();
                if (root.isArray()) {
                    root.forEach(list::add);
                } else {
                    list.add(root);
                }
                return list;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return channel.name().toLowerCase() + "/" + name;
        }
    }

    private Fixtures() {
    }

    /** The fixtures folder. */
    public static Path root() {
        String dir = System.getProperty("callstream.fixtures");
        Path path = dir != null ? Path.of(dir) : Path.of("../shared/fixtures");
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("fixtures folder not found at " + path.toAbsolutePath());
        }
        return path;
    }

    /** Every fixture, Event Grid first, sorted by name. */
    public static List<Fixture> all() {
        List<Fixture> list = new ArrayList<>(of(Channel.EVENTGRID));
        list.addAll(of(Channel.CALLBACKS));
        return list;
    }

    /** The fixtures of one channel, sorted by name. */
    public static List<Fixture> of(Channel channel) {
        Path dir = root().resolve(channel.name().toLowerCase());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted()
                    .map(f -> new Fixture(f.getFileName().toString(), channel, read(f))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One fixture by channel and file name. */
    public static Fixture get(Channel channel, String name) {
        return new Fixture(name, channel, read(root().resolve(channel.name().toLowerCase()).resolve(name)));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
