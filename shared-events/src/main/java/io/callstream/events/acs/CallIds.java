package io.callstream.events.acs;

/**
 * The ids that tie an ACS event to a call (see the REST spec's CallConnectionProperties and
 * PROTOCOLS §6). Any of them may be {@code null} where the event does not carry it: IncomingCall
 * has no callConnectionId, Event Grid's CallStarted has no callConnectionId, a subscription
 * validation event has none at all.
 *
 * @param callConnectionId the application's call leg; the path key of every mid-call REST operation
 * @param serverCallId the server-side id of the call, shared by all its legs
 * @param correlationId the call's correlation id (call id, chain id)
 */
public record CallIds(String callConnectionId, String serverCallId, String correlationId) {

    /** No ids at all, for events that are not about a call. */
    public static final CallIds NONE = new CallIds(null, null, null);

    /**
     * The Kafka record key for this call: serverCallId, else correlationId, else {@code null}.
     */
    public String partitionKey() {
        if (serverCallId != null && !serverCallId.isBlank()) {
            return serverCallId;
        }
        return correlationId == null || correlationId.isBlank() ? null : correlationId;
    }
}
