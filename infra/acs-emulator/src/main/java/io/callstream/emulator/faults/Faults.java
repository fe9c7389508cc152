package io.callstream.emulator.faults;

import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fault the emulator is told to inject into Call Automation REST requests, set through
 * {@code POST /emulator/faults} and cleared with {@code DELETE /emulator/faults}. At most one
 * fault is active; it applies to the next {@code count} authenticated {@code /calling/…}
 * requests (every one when {@code count} is absent) and then clears itself.
 */
@Component
public class Faults {

    /**
     * One fault.
     *
     * @param status the HTTP status to answer instead of executing the request (429, 500, 503, …),
     *               or 0 to execute the request and answer late ({@code delay})
     * @param retryAfter the {@code Retry-After} to send with {@code status}, whole seconds; null for none
     * @param delay with status 0: how long after executing the request its response is written
     * @param remaining how many more requests it applies to; negative for no limit
     */
    public record Fault(int status, Duration retryAfter, Duration delay, int remaining) {
    }

    private final AtomicReference<Fault> active = new AtomicReference<>();

    /** Makes {@code fault} the active one, replacing any other. */
    public void set(Fault fault) {
        active.set(fault);
    }

    /** Clears the active fault. */
    public void clear() {
        active.set(null);
    }

    /** The active fault, if any. */
    public Fault active() {
        return active.get();
    }

    /**
     * Takes the active fault for one request, counting it down.
     *
     * @return the fault to apply to this request, or null for none
     */
    Fault take() {
        while (true) {
            Fault fault = active.get();
            if (fault == null) {
                return null;
            }
            Fault next = fault.remaining() < 0 ? fault
                    : fault.remaining() <= 1 ? null
                    : new Fault(fault.status(), fault.retryAfter(), fault.delay(), fault.remaining() - 1);
            if (active.compareAndSet(fault, next)) {
                return fault;
            }
        }
    }
}
