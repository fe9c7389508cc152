package io.callstream.command.calls;

import io.callstream.events.acs.AcsEvent.AnswerFailed;
import io.callstream.events.acs.AcsEvent.CallConnected;
import io.callstream.events.acs.AcsEvent.CallConnectionEvent;
import io.callstream.events.acs.AcsEvent.CallDisconnected;
import io.callstream.events.acs.AcsEvent.CallTransferAccepted;
import io.callstream.events.acs.AcsEvent.CallTransferFailed;
import io.callstream.events.acs.AcsEvent.ConnectFailed;
import io.callstream.events.acs.AcsEvent.CreateCallFailed;
import io.callstream.events.acs.AcsEvent.ParticipantsUpdated;
import io.callstream.events.acs.CallIds;
import io.callstream.events.acs.ResultInformation;

import java.time.Instant;

/**
 * The call-connection fold: {@code evolve(state, event)} with no I/O.
 *
 * <p>State follows {@code callConnectionState} (REST spec): CallConnected moves a leg to
 * connected, CallTransferAccepted to transferAccepted, CallDisconnected and the failure events
 * (CreateCallFailed, AnswerFailed, ConnectFailed) end it. An ended leg stays ended whatever
 * arrives later, so the fold does not depend on delivery order (callbacks are not ordered,
 * EVENT-SEQUENCES.md §3.4). ParticipantsUpdated only advances the sequence guard.
 */
public final class CallProjection {

    private CallProjection() {
    }

    /**
     * Applies one call-connection event.
     *
     * @param state the leg's state before, never {@code null} (see {@link CallState#initial})
     * @param event the event
     * @param at the event's time ({@code time} attribute), or when it was received if it had none
     * @return the state after
     */
    public static CallState evolve(CallState state, CallConnectionEvent event, Instant at) {
        CallState s = withIds(state, event.ids());
        return switch (event) {
            case CallConnected e -> s.isEnded() ? s : new CallState(s.callConnectionId(), s.serverCallId(), s.correlationId(),
                    "connected", s.connectedAt() == null ? at : s.connectedAt(), null, null, null, null, s.participantsSequence());
            case CallTransferAccepted e -> s.isEnded() ? s : withState(s, "transferAccepted");
            case CallTransferFailed e -> s.isEnded() ? s : withState(s, s.connectedAt() != null ? "connected" : s.state());
            case CallDisconnected e -> ended(s, e.resultInformation(), null, at);
            case CreateCallFailed e -> ended(s, e.resultInformation(), "CreateCallFailed", at);
            case AnswerFailed e -> ended(s, e.resultInformation(), "AnswerFailed", at);
            case ConnectFailed e -> ended(s, e.resultInformation(), "ConnectFailed", at);
        };
    }

    /**
     * Whether a ParticipantsUpdated snapshot is newer than the last one applied. A snapshot
     * without a sequenceNumber (2022 payloads) is always applied; an equal or lower number is a
     * duplicate or stale and changes nothing.
     */
    public static boolean isNewer(CallState state, ParticipantsUpdated event) {
        return event.sequenceNumber() == null || state.participantsSequence() == null
                || event.sequenceNumber() > state.participantsSequence();
    }

    /** The state after a ParticipantsUpdated snapshot was applied. */
    public static CallState sequenced(CallState state, ParticipantsUpdated event) {
        CallState s = withIds(state, event.ids());
        Integer seq = event.sequenceNumber() == null ? s.participantsSequence() : event.sequenceNumber();
        return new CallState(s.callConnectionId(), s.serverCallId(), s.correlationId(), s.state(), s.connectedAt(),
                s.endedAt(), s.endCode(), s.endSubCode(), s.endReason(), seq);
    }

    private static CallState ended(CallState s, ResultInformation result, String failure, Instant at) {
        if (s.isEnded() && s.endCode() != null) {
            // The first ending event's result stands; CreateCallFailed and CallDisconnected of one leg carry the
            // same one (R5). A failure event that comes second still names the failure.
            if (failure == null || (s.endReason() != null && s.endReason().startsWith(failure))) {
                return s;
            }
            return new CallState(s.callConnectionId(), s.serverCallId(), s.correlationId(), s.state(), s.connectedAt(), s.endedAt(),
                    s.endCode(), s.endSubCode(), failure + ": " + (result == null ? s.endReason() : result.message()), s.participantsSequence());
        }
        String reason = result == null ? failure : result.message();
        if (failure != null && result != null) {
            reason = failure + ": " + result.message();
        }
        return new CallState(s.callConnectionId(), s.serverCallId(), s.correlationId(), "disconnected", s.connectedAt(),
                s.endedAt() == null ? at : s.endedAt(), result == null ? null : result.code(),
                result == null ? null : result.subCode(), reason, s.participantsSequence());
    }

    private static CallState withState(CallState s, String state) {
        return new CallState(s.callConnectionId(), s.serverCallId(), s.correlationId(), state, s.connectedAt(), s.endedAt(),
                s.endCode(), s.endSubCode(), s.endReason(), s.participantsSequence());
    }

    private static CallState withIds(CallState s, CallIds ids) {
        return new CallState(s.callConnectionId(),
                s.serverCallId() != null ? s.serverCallId() : ids.serverCallId(),
                s.correlationId() != null ? s.correlationId() : ids.correlationId(),
                s.state(), s.connectedAt(), s.endedAt(), s.endCode(), s.endSubCode(), s.endReason(), s.participantsSequence());
    }
}
