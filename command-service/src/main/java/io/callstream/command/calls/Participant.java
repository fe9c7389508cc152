package io.callstream.command.calls;

import java.time.Instant;

/**
 * One participant of a call connection (a row of {@code participants}).
 *
 * @param rawId the participant's raw id
 * @param kind communicationUser, phoneNumber, …
 * @param joinedAt when it first appeared in a ParticipantsUpdated
 * @param leftAt when it was last missing from one, or the leg ended; {@code null} while present
 * @param muted isMuted of the latest snapshot
 * @param onHold isOnHold of the latest snapshot
 */
public record Participant(String rawId, String kind, Instant joinedAt, Instant leftAt, boolean muted, boolean onHold) {
}
