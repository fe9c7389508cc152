package io.callstream.emulator.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code CommunicationIdentifierModel} as ACS writes it: {@code {rawId, kind, <kind object>}}
 * (EVENT-SEQUENCES.md §2.2): {@code 8:acs:…} ids are communication users, {@code 4:+E164} phone numbers.
 */
final class Identifiers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Identifiers() {
    }

    /** The identifier model for a raw id. */
    static ObjectNode fromRawId(String rawId) {
        ObjectNode node = JSON.createObjectNode().put("rawId", rawId);
        if (rawId.startsWith("4:")) {
            node.put("kind", "phoneNumber");
            node.putObject("phoneNumber").put("value", rawId.substring(2));
        } else {
            node.put("kind", "communicationUser");
            node.putObject("communicationUser").put("id", rawId);
        }
        return node;
    }

    /**
     * The raw id of an identifier model as a client sent it ({@code rawId}, or the kind object).
     *
     * @return the raw id, or {@code null} when the node names nobody
     */
    static String rawIdOf(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        if (node.hasNonNull("rawId")) {
            return node.get("rawId").asText();
        }
        if (node.path("phoneNumber").hasNonNull("value")) {
            return "4:" + node.get("phoneNumber").get("value").asText();
        }
        if (node.path("communicationUser").hasNonNull("id")) {
            return node.get("communicationUser").get("id").asText();
        }
        return null;
    }
}
