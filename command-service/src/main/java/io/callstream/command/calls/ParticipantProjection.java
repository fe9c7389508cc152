package io.callstream.command.calls;

import io.callstream.events.acs.AcsEvent.ParticipantsUpdated;
import io.callstream.events.acs.CallParticipant;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The participant fold of one call connection, with no I/O. ParticipantsUpdated carries the
 * full list (EVENT-SEQUENCES.md R8), so a participant missing from it has left, one present has
 * joined (again), and the mute and hold flags are the snapshot's. The caller checks the sequence
 * guard ({@link CallProjection#isNewer}) first.
 */
public final class ParticipantProjection {

    private ParticipantProjection() {
    }

    /**
     * @param current participants by raw id before the snapshot
     * @param event the snapshot
     * @param at the snapshot's time
     * @return participants by raw id after it; rows that did not change are equal to before
     */
    public static Map<String, Participant> evolve(Map<String, Participant> current, ParticipantsUpdated event, Instant at) {
        Map<String, Participant> next = new LinkedHashMap<>(current);
        Map<String, CallParticipant> present = new LinkedHashMap<>();
        event.participants().forEach(p -> present.put(p.identifier().rawId(), p));
        for (CallParticipant p : present.values()) {
            Participant before = current.get(p.identifier().rawId());
            Instant joined = before == null || before.leftAt() != null ? at : before.joinedAt();
            String kind = p.identifier().kind() != null ? p.identifier().kind() : before == null ? null : before.kind();
            next.put(p.identifier().rawId(), new Participant(p.identifier().rawId(), kind, joined, null, p.isMuted(), p.isOnHold()));
        }
        for (Participant before : current.values()) {
            if (!present.containsKey(before.rawId()) && before.leftAt() == null) {
                next.put(before.rawId(), left(before, at));
            }
        }
        return next;
    }

    /** Everyone still present leaves when the leg itself ends. */
    public static Map<String, Participant> legEnded(Map<String, Participant> current, Instant at) {
        Map<String, Participant> next = new LinkedHashMap<>(current);
        current.values().stream().filter(p -> p.leftAt() == null).forEach(p -> next.put(p.rawId(), left(p, at)));
        return next;
    }

    private static Participant left(Participant p, Instant at) {
        return new Participant(p.rawId(), p.kind(), p.joinedAt(), at, p.muted(), p.onHold());
    }
}
