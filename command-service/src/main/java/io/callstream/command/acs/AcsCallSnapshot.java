package io.callstream.command.acs;

import java.util.List;

/**
 * A call as ACS reports it (CallConnectionProperties and GetParticipantsResponse).
 *
 * @param callConnectionId the leg
 * @param serverCallId the call
 * @param correlationId the call's correlation id
 * @param callConnectionState connecting, connected, transferring, transferAccepted, disconnecting, disconnected
 * @param participants everyone in the call (bots excluded)
 */
public record AcsCallSnapshot(String callConnectionId, String serverCallId, String correlationId, String callConnectionState,
                              List<Participant> participants) {

    /**
     * @param rawId the participant's raw id
     * @param kind communicationUser, phoneNumber, …
     * @param isMuted muted
     * @param isOnHold on hold
     */
    public record Participant(String rawId, String kind, boolean isMuted, boolean isOnHold) {
    }
}
