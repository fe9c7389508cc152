package io.callstream.events;

/**
 * Names of the CloudEvents extension attributes that callstream adds to every normalized ACS event.
 * On Kafka they travel as the headers {@code ce_servercallid}, {@code ce_correlationid} and
 * {@code ce_callconnectionid} (CloudEvents Kafka protocol binding, binary mode).
 */
public final class CloudEventExtensions {

    /** The ACS serverCallId, shared by every leg of one call. */
    public static final String SERVER_CALL_ID = "servercallid";

    /** The ACS correlationId (also called the call id or chain id). */
    public static final String CORRELATION_ID = "correlationid";

    /** The ACS callConnectionId of the application's call leg, where the event names one. */
    public static final String CALL_CONNECTION_ID = "callconnectionid";

    /** The Event Grid {@code dataVersion} of an event delivered in the Event Grid schema. */
    public static final String DATA_VERSION = "dataversion";

    private CloudEventExtensions() {
    }
}
