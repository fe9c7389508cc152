package io.callstream.command.commands;

import io.callstream.command.acs.AcsCallConnection;
import io.callstream.command.acs.AcsCallSnapshot;

/**
 * What ACS answered to a command that callstream keeps: the ids of a new leg (CreateCall,
 * AnswerCall, ConnectCall), an AddParticipant's invitationId, a recording's id, or a SyncCall's
 * snapshot. All but the snapshot travel in the {@code accepted} result, so a replay of the log
 * rebuilds the same answer from it ({@link #fromAccepted}).
 */
record AcsAnswer(String callConnectionId, String serverCallId, String correlationId, String invitationId, String recordingId,
                 AcsCallSnapshot snapshot) {

    /** ACS answered with nothing callstream keeps. */
    static final AcsAnswer NONE = new AcsAnswer(null, null, null, null, null, null);

    static AcsAnswer of(AcsCallConnection leg) {
        return new AcsAnswer(leg.callConnectionId(), leg.serverCallId(), leg.correlationId(), null, null, null);
    }

    static AcsAnswer of(AcsCallSnapshot snapshot) {
        return new AcsAnswer(snapshot.callConnectionId(), snapshot.serverCallId(), snapshot.correlationId(), null, null, snapshot);
    }

    static AcsAnswer invitation(String invitationId) {
        return new AcsAnswer(null, null, null, invitationId, null, null);
    }

    static AcsAnswer recording(String recordingId) {
        return new AcsAnswer(null, null, null, null, recordingId, null);
    }

    /** The answer as an {@code accepted} result carries it (no SyncCall snapshot). */
    static AcsAnswer fromAccepted(io.callstream.events.commands.CommandResult accepted) {
        return new AcsAnswer(accepted.callConnectionId(), accepted.serverCallId(), accepted.correlationId(), accepted.invitationId(),
                accepted.recordingId(), null);
    }
}
