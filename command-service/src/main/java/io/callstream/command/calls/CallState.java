package io.callstream.command.calls;

import java.time.Instant;

/**
 * The projected state of one call connection (a row of {@code calls}, less the facts that only
 * commands know: direction, from and to).
 *
 * @param callConnectionId the application's leg
 * @param serverCallId the call's server id
 * @param correlationId the call's correlation id
 * @param state ACS's {@code callConnectionState}: connecting, connected, transferring, transferAccepted, disconnected
 * @param connectedAt when CallConnected was stamped
 * @param endedAt when the leg ended (CallDisconnected, or a *Failed event)
 * @param endCode {@code resultInformation.code} of the ending event
 * @param endSubCode {@code resultInformation.subCode} of the ending event
 * @param endReason {@code resultInformation.message} of the ending event, or the failure event's name
 * @param participantsSequence the highest ParticipantsUpdated {@code sequenceNumber} applied
 */
public record CallState(String callConnectionId, String serverCallId, String correlationId, String state,
                        Instant connectedAt, Instant endedAt, Integer endCode, Integer endSubCode, String endReason,
                        Integer participantsSequence) {

    /** A leg seen for the first time, before any state event. */
    public static CallState initial(String callConnectionId) {
        return new CallState(callConnectionId, null, null, "connecting", null, null, null, null, null, null);
    }

    /** Whether the leg has ended; an ended leg never changes state again. */
    public boolean isEnded() {
        return "disconnected".equals(state);
    }
}
