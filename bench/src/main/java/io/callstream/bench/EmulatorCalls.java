package io.callstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.callstream.e2e.StackClient;
import io.callstream.e2e.processes.ProcessStack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The emulator's test controls that time to answer needs, over HTTPS: ringing the application
 * ({@code POST /emulator/incoming-calls}) and the answers it got ({@code GET /emulator/answers}).
 * <p>
 * Not {@link StackClient}: that client also reads {@code acs.eventgrid} and {@code acs.callbacks}
 * from the start, keeping every record, as the tests need. After the earlier parts those topics
 * hold millions of records. Reading them took 87% of a core of this 2-core machine during the
 * measured calls (per-process CPU from {@code /proc}), CPU that the answers measured waited for.
 */
final class EmulatorCalls implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI emulator;
    private final HttpClient http;

    EmulatorCalls(ProcessStack stack) {
        this.emulator = stack.endpoints().emulatorUrl();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(StackClient.trusting(stack.endpoints().emulatorCertificate())).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Rings the application: an incoming call from {@code from} (E.164) to {@code to}. */
    void ring(String from, String to) {
        send(HttpRequest.newBuilder(emulator.resolve("/emulator/incoming-calls")).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"%s\",\"to\":\"%s\"}".formatted(from, to))).build());
    }

    /** Every AnswerCall the emulator got, in order: {@code {"answers":[{"serverCallId","answeredAt","latencyMicros"}]}}. */
    JsonNode answers() throws IOException {
        return Bench.json(send(HttpRequest.newBuilder(emulator.resolve("/emulator/answers")).timeout(TIMEOUT).GET().build()));
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
