package io.callstream.e2e.chaos;

import io.callstream.e2e.processes.ProcessStack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of Event Grid deliveries to ingress, sent as Event Grid sends them: one
 * CallStarted event per request, each with its own id, and a delivery that gets no 2xx sent
 * again (every 500 ms) until it gets one or the load gives up. Counts every attempt.
 */
final class DeliveryLoad {

    private static final String TOPIC = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/chaos"
            + "/providers/Microsoft.Communication/CommunicationServices/chaos";

    private final URI endpoint;
    private final String idPrefix;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong notOk = new AtomicLong();
    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final Set<String> givenUp = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param ingress ingress-service's base URL
     * @param secret the Event Grid subscription's secret
     * @param idPrefix the prefix of every event id, which tells this load's events apart
     */
    DeliveryLoad(URI ingress, String secret, String idPrefix) {
        this.endpoint = ingress.resolve("/api/eventgrid?secret=" + secret);
        this.idPrefix = idPrefix;
    }

    String idPrefix() {
        return idPrefix;
    }

    /**
     * Sends from {@code senders} threads until {@code stopAt} (new events) or until {@code limit}
     * events were started, retrying unanswered ones until {@code giveUpAt}; returns when all are done.
     */
    void run(int senders, Instant stopAt, long limit, Instant giveUpAt) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            threads.add(Thread.ofPlatform().name("delivery-" + i).start(() -> {
                while (Instant.now().isBefore(stopAt)) {
                    long n = sequence.incrementAndGet();
                    if (n > limit) {
                        return;
                    }
                    deliver(idPrefix + n, giveUpAt);
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void deliver(String id, Instant giveUpAt) {
        String serverCallId = "chaos-call-" + UUID.randomUUID();
        String body = """
                [{"id":"%s","topic":"%s","subject":"call/%s/startedBy/8:acs:chaos","eventType":"Microsoft.Communication.CallStarted",\
                "data":{"startedBy":{"communicationIdentifier":{"rawId":"8:acs:chaos","communicationUser":{"id":"8:acs:chaos"}}},\
                "serverCallId":"%s","group":{"id":"%s"},"isTwoParty":false,"correlationId":"%s","isRoomsCall":false},\
                "dataVersion":"1.0","metadataVersion":"1","eventTime":"%s"}]""".formatted(id, TOPIC, serverCallId, serverCallId,
                UUID.randomUUID(), UUID.randomUUID(), Instant.now());
        while (true) {
            attempts.incrementAndGet();
            int status;
            try {
                status = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(15))
                        .header("Content-Type", "application/json").header("aeg-event-type", "Notification")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (status / 100 == 2) {
                ok.incrementAndGet();
                accepted.add(id);
                return;
            }
            notOk.incrementAndGet();
            if (Instant.now().isAfter(giveUpAt)) {
                givenUp.add(id);
                return;
            }
            ProcessStack.sleep(Duration.ofMillis(500));
        }
    }
}
