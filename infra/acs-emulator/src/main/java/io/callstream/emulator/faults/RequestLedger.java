package io.callstream.emulator.faults;

import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the authenticated Call Automation REST requests the emulator received, for fault tests
 * and {@code make chaos} ({@code GET /emulator/requests}):
 * <ul>
 *   <li>{@code received}: every request under {@code /calling/callConnections} or {@code /calling/recordings};</li>
 *   <li>{@code faulted}: answered with an injected fault instead of being executed;</li>
 *   <li>{@code replayed}: a repeated {@code Repeatability-Request-ID} answered from memory;</li>
 *   <li>{@code executed}: acted on;</li>
 *   <li>{@code duplicates}: executions with a 2xx answer of an action already executed with a 2xx
 *   answer, where an action is the path with the body's {@code operationContext}, or else with
 *   the {@code Repeatability-Request-ID}. A client that acts at most once keeps this at 0.</li>
 * </ul>
 */
@Component
public class RequestLedger {

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final Map<String, Boolean> succeeded = new ConcurrentHashMap<>();

    void received() {
        received.incrementAndGet();
    }

    void faulted() {
        faulted.incrementAndGet();
    }

    /** A repeated request answered from memory. */
    public void replayed() {
        replayed.incrementAndGet();
    }

    /**
     * A request acted on.
     *
     * @param action what it did (see the class comment), or null when it cannot be told apart
     * @param status the HTTP status it was answered with
     */
    public void executed(String action, int status) {
        executed.incrementAndGet();
        if (action != null && status / 100 == 2 && succeeded.putIfAbsent(action, Boolean.TRUE) != null) {
            duplicates.incrementAndGet();
        }
    }

    /** The counts, by the names in the class comment. */
    public Map<String, Long> counts() {
        return Map.of("received", received.get(), "faulted", faulted.get(), "replayed", replayed.get(),
                "executed", executed.get(), "duplicates", duplicates.get());
    }
}
