package io.callstream.events.acs;

/**
 * One entry of a ParticipantsUpdated event's full participant list (REST spec {@code CallParticipant}).
 *
 * @param identifier who
 * @param isMuted whether the participant is muted
 * @param isOnHold whether the participant is on hold
 */
public record CallParticipant(Identifier identifier, boolean isMuted, boolean isOnHold) {
}
