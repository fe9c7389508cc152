package io.callstream.ingress.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.events.CloudEventExtensions;
import io.callstream.events.acs.AcsEvents;
import io.callstream.events.acs.CallIds;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import java.io.IOException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a delivery body into CloudEvents 1.0 records. It reads both Event Grid schema events
 * ({@code id, topic, subject, eventType, eventTime, data, dataVersion}) and CloudEvents 1.0
 * events ({@code id, source, type, time, subject, data}, also with the {@code specVersion}
 * spelling some samples use), as a JSON array or a single object.
 *
 * <p>Mapping: id, type (Event Grid's eventType), time (eventTime) and subject are kept; source
 * is the CloudEvents source, or the Event Grid topic; {@code data} is carried unchanged
 * (JSON-equal, numbers exact). Added: the extensions {@code servercallid}, {@code correlationid},
 * {@code callconnectionid} (from data, or a callback's {@code calling/callConnections/{id}}
 * source) and, for Event Grid, {@code dataversion}. Characters a URI reference may not hold
 * (such as the braces of placeholder topics) are percent-encoded in the source.
 *
 * <p>Sources: PROTOCOLS.md §1, §2 and §7; the CloudEvents Kafka protocol binding.
 */
public final class EventNormalizer {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String CALL_CONNECTIONS = "calling/callConnections/";

    private EventNormalizer() {
    }

    /**
     * @param body the request body
     * @param channel where it came from
     * @return the delivery's events, in order; never empty
     * @throws BadDeliveryException when the body is not JSON, holds no events, or an event lacks id or type
     */
    public static List<NormalizedEvent> normalize(byte[] body, Channel channel) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadDeliveryException("The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadDeliveryException("The body could not be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new BadDeliveryException("The body is empty; a delivery is a JSON array of events or one event object.");
        }
        List<JsonNode> elements = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(elements::add);
        } else {
            elements.add(root);
        }
        if (elements.isEmpty()) {
            throw new BadDeliveryException("The delivery holds no events.");
        }
        List<NormalizedEvent> events = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            events.add(normalize(elements.get(i), i, channel));
        }
        return events;
    }

    private static NormalizedEvent normalize(JsonNode e, int index, Channel channel) {
        if (!e.isObject()) {
            throw new BadDeliveryException("Event " + index + " is not a JSON object.");
        }
        boolean cloudEvent = e.has("specversion") || e.has("specVersion");
        if (!cloudEvent && !e.has("eventType")) {
            throw new BadDeliveryException("Event " + index + " is neither a CloudEvent (specversion) nor an Event Grid event (eventType).");
        }
        String id = required(e, "id", index);
        String type = required(e, cloudEvent ? "type" : "eventType", index);
        String source = cloudEvent ? text(e, "source") : text(e, "topic");
        if (source == null || source.isEmpty()) {
            if (cloudEvent) {
                throw new BadDeliveryException("Event " + index + " has no source.");
            }
            source = "/eventgrid";
        }
        String time = text(e, cloudEvent ? "time" : "eventTime");
        JsonNode data = e.get("data");
        CallIds ids = AcsEvents.idsOf(data);
        String callConnectionId = ids.callConnectionId();
        if (callConnectionId == null && source.startsWith(CALL_CONNECTIONS)) {
            String rest = source.substring(CALL_CONNECTIONS.length());
            callConnectionId = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        }

        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(id)
                .withType(type)
                .withSource(uriReference(source));
        String subject = text(e, "subject");
        if (subject != null) {
            builder.withSubject(subject);
        }
        if (time != null) {
            try {
                builder.withTime(OffsetDateTime.parse(time));
            } catch (DateTimeParseException ex) {
                throw new BadDeliveryException("Event " + index + " has a time that is not RFC 3339: " + time);
            }
        }
        if (data != null && !data.isNull()) {
            try {
                builder.withData("application/json", JSON.writeValueAsBytes(data));
            } catch (JsonProcessingException ex) {
                throw new BadDeliveryException("Event " + index + " has data that cannot be written: " + ex.getMessage());
            }
        }
        extension(builder, CloudEventExtensions.SERVER_CALL_ID, ids.serverCallId());
        extension(builder, CloudEventExtensions.CORRELATION_ID, ids.correlationId());
        extension(builder, CloudEventExtensions.CALL_CONNECTION_ID, callConnectionId);
        if (!cloudEvent) {
            extension(builder, CloudEventExtensions.DATA_VERSION, text(e, "dataVersion"));
        }
        CloudEvent event = builder.build();
        String key = ids.partitionKey() != null ? ids.partitionKey() : id;
        String validationCode = AcsEvents.SUBSCRIPTION_VALIDATION.equals(type) && data != null ? text(data, "validationCode") : null;
        return new NormalizedEvent(key, event, validationCode);
    }

    private static void extension(CloudEventBuilder builder, String name, String value) {
        if (value != null && !value.isEmpty()) {
            builder.withExtension(name, value);
        }
    }

    private static String required(JsonNode e, String field, int index) {
        String value = text(e, field);
        if (value == null || value.isEmpty()) {
            throw new BadDeliveryException("Event " + index + " has no " + field + ".");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    /** The source as a URI reference, percent-encoding any character RFC 3986 does not allow. */
    static URI uriReference(String source) {
        try {
            return URI.create(encode(source, "-._~:/?#[]@!$&'()*+,;=%"));
        } catch (IllegalArgumentException e) {
            // A '%' that starts no escape: encode it too.
            return URI.create(encode(source, "-._~:/?#[]@!$&'()*+,;="));
        }
    }

    private static String encode(String source, String allowedPunctuation) {
        StringBuilder out = new StringBuilder(source.length());
        for (byte b : source.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || allowedPunctuation.indexOf(c) >= 0;
            if (allowed && b >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
