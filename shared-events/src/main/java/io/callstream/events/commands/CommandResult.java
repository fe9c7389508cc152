package io.callstream.events.commands;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * One step of a command's lifecycle, published on {@link io.callstream.events.Topics#COMMAND_RESULTS}
 * keyed by {@code commandId}. A command gets {@code accepted} or {@code rejected}, then, when it
 * awaits an event, {@code completed} or {@code failed}. Results may arrive out of that order
 * (an event can beat the REST response); consumers order them by {@link Status#isTerminal()}.
 *
 * @param commandId the command's id
 * @param commandType the command's wire name ({@code CreateCall}, …); {@code null} when the input was not a command
 * @param status the lifecycle step
 * @param reason why it was rejected or failed, in words; {@code null} otherwise
 * @param callConnectionId the call leg ACS returned or the event named; may be {@code null}
 * @param serverCallId the call's serverCallId, where known
 * @param correlationId the call's correlationId, where known
 * @param invitationId ACS's invitationId of an AddParticipant (its accepted result), else {@code null}
 * @param recordingId ACS's recordingId of a StartRecording (its accepted result), else {@code null}
 * @param errorCode ACS's error code ({@code error.code} of a REST error, or {@code resultInformation.code})
 * @param subCode ACS's {@code resultInformation.subCode}, for results driven by an event
 * @param message ACS's {@code resultInformation.message}, for results driven by an event
 * @param time when callstream recorded this step (UTC)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandResult(String commandId, String commandType, Status status, String reason,
                            String callConnectionId, String serverCallId, String correlationId, String invitationId, String recordingId,
                            String errorCode, Integer subCode, String message, Instant time) {

    /** The lifecycle steps. Wire names are lower case. */
    public enum Status {
        @JsonProperty("accepted") ACCEPTED,
        @JsonProperty("rejected") REJECTED,
        @JsonProperty("completed") COMPLETED,
        @JsonProperty("failed") FAILED;

        /** Rejected, completed and failed end a command; accepted does not. */
        public boolean isTerminal() {
            return this != ACCEPTED;
        }

        /** The lower-case wire name. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
