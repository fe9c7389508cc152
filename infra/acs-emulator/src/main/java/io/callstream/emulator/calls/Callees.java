package io.callstream.emulator.calls;

import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the emulated people and phones behave when the application calls or invites them: they
 * answer unless a scenario says otherwise. Set through {@code POST /emulator/callees}; the
 * failure results follow RESULT-CODES.md §4 (best defaults).
 */
@Component
public class Callees {

    /** What a callee does with a call or an invitation. */
    public enum Behaviour {
        /** Picks up. */
        ANSWER,
        /** Declines: 603/0 "Decline". */
        DECLINE,
        /** Is busy: 486/560486 "Busy Here" (the PSTN code, for any target). */
        BUSY,
        /** Never picks up: the invitation times out, 487/10004 (ACS user) or 480/560480 (phone). */
        NO_ANSWER;

        /** The wire name, e.g. {@code noAnswer}. */
        static Behaviour of(String name) {
            return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
                case "answer" -> ANSWER;
                case "decline" -> DECLINE;
                case "busy" -> BUSY;
                case "noanswer" -> NO_ANSWER;
                default -> throw AcsError.badRequest("behaviour must be answer, decline, busy or noAnswer", "behaviour");
            };
        }
    }

    /**
     * A failure as Call Automation reports it.
     *
     * @param code resultInformation.code
     * @param subCode resultInformation.subCode
     * @param reason the underlying reason, for the participant-format message
     */
    record Failure(int code, int subCode, String reason) {

        /** "addParticipants failed for participant X. Underlying reason: … DiagCode: code#subCode.@" (RESULT-CODES §4). */
        String participantMessage(String rawId) {
            return "addParticipants failed for participant " + rawId + ". Underlying reason: " + reason + ". DiagCode: "
                    + (code == 200 ? 0 : code) + "#" + subCode + ".@";
        }

        /** "<reason>. DiagCode: code#subCode.@". */
        String callMessage() {
            return reason + ". DiagCode: " + (code == 200 ? 0 : code) + "#" + subCode + ".@";
        }
    }

    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

    /** Sets how {@code rawId} behaves from now on. */
    void set(String rawId, Behaviour behaviour) {
        behaviours.put(rawId, behaviour);
    }

    Behaviour of(String rawId) {
        return behaviours.getOrDefault(rawId, Behaviour.ANSWER);
    }

    /** The failure a behaviour produces for {@code rawId}, or {@code null} when it answers. */
    static Failure failure(Behaviour behaviour, String rawId) {
        boolean phone = rawId.startsWith("4:");
        return switch (behaviour) {
            case ANSWER -> null;
            case DECLINE -> new Failure(603, 0, "Decline");
            case BUSY -> new Failure(486, 560486, "Busy Here");
            case NO_ANSWER -> phone ? new Failure(480, 560480, "Temporarily Unavailable")
                    : new Failure(487, 10004, "Call was canceled on timeout, as target user didn't accept or reject it on time");
        };
    }
}
