package io.callstream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection bench's copies of ingress's records: each call gets its own ids in the data's
 * fields and in the CloudEvents headers, even where a fixture's ids are placeholders that also
 * occur as field names or in other fields, and the reference rows are the rows the projector stores.
 */
class ProjectionBenchCopiesTests {

    private final ProjectionBench bench = new ProjectionBench(null, null, "run1");

    /** Like the fixtures whose ids are placeholders: {@code callConnectionId}, {@code REDACTED}. */
    private final ProjectionBench.Template template = new ProjectionBench.Template("Microsoft.Communication.RecordingStateChanged",
            "calling/callConnections/callConnectionId", "calling/callConnections/callConnectionId", "2026-11-24T10:00:00Z",
            "callConnectionId", List.of(header("ce_id", "original"), header("ce_callconnectionid", "callConnectionId"),
                    header("ce_servercallid", "REDACTED"), header("ce_source", "calling/callConnections/callConnectionId"),
                    header("ce_type", "Microsoft.Communication.RecordingStateChanged")),
            (ObjectNode) Bench.json("""
                    {"callConnectionId":"callConnectionId","serverCallId":"REDACTED","correlationId":"c-1","recordingId":"rec",
                     "operationContext":"context","resultInformation":{"message":"REDACTED"}}"""));

    ProjectionBenchCopiesTests() throws IOException {
    }

    @Test
    void eachCallsCopiesCarryTheirCallsOwnIdsInTheDataFieldsAndLeaveTheOtherFieldsAlone() {
        ObjectNode first = bench.dataOf(template, 8);
        ObjectNode sameCall = bench.dataOf(template, 15);
        ObjectNode nextCall = bench.dataOf(template, 16);

        assertThat(first.get("callConnectionId").asText()).isEqualTo("bench-call-run1-1");
        assertThat(first.get("serverCallId").asText()).isEqualTo("bench-serverCallId-run1-1");
        assertThat(first.get("correlationId").asText()).isEqualTo("bench-correlationId-run1-1");
        assertThat(first.get("recordingId").asText()).isEqualTo("bench-recordingId-run1-1");
        assertThat(first.get("operationContext").asText()).isEqualTo("context");
        assertThat(first.at("/resultInformation/message").asText()).isEqualTo("REDACTED");
        assertThat(sameCall).isEqualTo(first);
        assertThat(nextCall.get("recordingId").asText()).isEqualTo("bench-recordingId-run1-2");
        assertThat(template.data().get("callConnectionId").asText()).as("the template itself").isEqualTo("callConnectionId");
    }

    @Test
    void theHeadersNameTheCopysOwnEventAndCall() {
        ObjectNode data = bench.dataOf(template, 9);

        assertThat(template.headers()).extracting(h -> bench.headerOf(template, h, data, 9)).containsExactly("bench-run1-9",
                "bench-call-run1-1", "bench-serverCallId-run1-1", "calling/callConnections/bench-call-run1-1",
                "Microsoft.Communication.RecordingStateChanged");
    }

    @Test
    void theReferenceRowIsTheRowTheProjectorStores() {
        String[] row = bench.row(List.of(template), 9);

        assertThat(row).containsExactly("calling/callConnections/bench-call-run1-1", "bench-run1-9",
                "Microsoft.Communication.RecordingStateChanged", "calling/callConnections/bench-call-run1-1", "2026-11-24T10:00:00Z",
                "bench-call-run1-1", "bench-serverCallId-run1-1", "bench-correlationId-run1-1", "context", "acs.callbacks", "0", "9",
                bench.dataOf(template, 9).toString());
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
