package io.callstream.command.acs;

import io.callstream.events.commands.CallCommand.AnswerCall;
import io.callstream.events.commands.CallCommand.CreateCall;
import io.callstream.events.commands.CallCommand.HangUp;

/**
 * The Call Automation operations command-service issues, with ACS's SDK kept behind it: nothing
 * outside this package imports {@code com.azure.*}. Every call sends the command's
 * {@code commandId} as the request's {@code operationContext}, so the events it causes correlate.
 * Each method blocks for one REST round trip (SDK retries included).
 */
public interface AcsGateway {

    /**
     * CreateCall ({@code POST /calling/callConnections}): a 1:1 call for one target, a group call for several.
     *
     * @return the new call connection's ids
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    AcsCallConnection createCall(CreateCall command);

    /**
     * AnswerCall ({@code POST /calling/callConnections:answer}).
     *
     * @return the answered call connection's ids
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    AcsCallConnection answerCall(AnswerCall command);

    /**
     * CallConnection_HangupCall ({@code DELETE /calling/callConnections/{id}}), or
     * CallConnection_TerminateCall ({@code POST …:terminate}) when the command is for everyone.
     *
     * @throws AcsRequestException when ACS refuses the request or cannot be reached
     */
    void hangUp(HangUp command);
}
