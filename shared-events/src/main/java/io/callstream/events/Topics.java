package io.callstream.events;

/**
 * Kafka topic names shared by callstream's services and by outside publishers and consumers.
 *
 * <p>Every record on the event topics is a CloudEvent in the Kafka protocol binding's binary mode
 * (value = the ACS {@code data} object as JSON, attributes in {@code ce_*} headers), keyed by the
 * call's serverCallId (correlationId when there is none), so that one call's events stay ordered in
 * one partition.
 */
public final class Topics {

    /** Azure Event Grid system events of ACS (IncomingCall, CallStarted, CallEnded, …). */
    public static final String ACS_EVENTGRID = "acs.eventgrid";

    /** Call Automation webhook callbacks (CallConnected, ParticipantsUpdated, …). */
    public static final String ACS_CALLBACKS = "acs.callbacks";

    /** Business commands as JSON ({@link io.callstream.events.commands.CallCommand}), keyed by commandId. */
    public static final String CALLS_COMMANDS = "calls.commands";

    /** Command outcomes as JSON ({@link io.callstream.events.commands.CommandResult}), keyed by commandId. */
    public static final String COMMAND_RESULTS = "calls.command-results";

    private Topics() {
    }
}
