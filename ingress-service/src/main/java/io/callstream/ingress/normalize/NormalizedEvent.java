package io.callstream.ingress.normalize;

import io.cloudevents.CloudEvent;

/**
 * One event of a delivery, ready for Kafka.
 *
 * @param key the Kafka record key: serverCallId, else correlationId, else the event id
 * @param event the CloudEvent: the source event's id, type, time and subject, its {@code data}
 *     unchanged, and the extensions servercallid, correlationid and callconnectionid where known
 * @param validationCode the {@code validationCode} of an Event Grid SubscriptionValidationEvent, else {@code null}
 */
public record NormalizedEvent(String key, CloudEvent event, String validationCode) {
}
