package io.callstream.command.history;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which event data {@link ReceivedEvent#from} takes: one JSON value that PostgreSQL's {@code jsonb}
 * can store. Anything else is an {@link IllegalArgumentException}, which sends the record to its
 * dead-letter topic instead of failing its batch at every retry.
 */
class ReceivedEventTests {

    /** The JSON escape for U+0000, spelled out so that no Unicode escape sits in this source. */
    private static final String NUL = "\\" + "u0000";

    @Test
    void oneJsonObjectIsTakenAsItCame() {
        ReceivedEvent event = ReceivedEvent.from(record("{\"callConnectionId\":\"c-1\",\"operationContext\":\"ctx\"}"));

        assertThat(event.data()).isEqualTo("{\"callConnectionId\":\"c-1\",\"operationContext\":\"ctx\"}");
        assertThat(event.event().ids().callConnectionId()).isEqualTo("c-1");
    }

    @Test
    void textAfterTheJsonValueIsNotJson() {
        assertThatThrownBy(() -> ReceivedEvent.from(record("{\"callConnectionId\":\"c-1\"} and more")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("data is not JSON");
        assertThatThrownBy(() -> ReceivedEvent.from(record("{\"callConnectionId\":\"c-1\"}{\"callConnectionId\":\"c-2\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("data is not JSON");
    }

    @Test
    void uPlus0000InAValueANestedValueOrAFieldNameCannotBeStored() {
        for (String data : new String[] {"{\"operationContext\":\"a" + NUL + "b\"}", "{\"participants\":[{\"rawId\":\"" + NUL + "\"}]}",
                "{\"a" + NUL + "\":1}"}) {
            assertThatThrownBy(() -> ReceivedEvent.from(record(data))).as(data)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
        }
    }

    @Test
    void anEscapedBackslashBeforeU0000IsOrdinaryText() {
        // JSON "a\\u0000b" is the six characters a, backslash, u, 0, 0, 0, 0, b: no U+0000 in it.
        ReceivedEvent event = ReceivedEvent.from(record("{\"operationContext\":\"a\\" + NUL + "b\"}"));

        assertThat(event.data()).contains("\\\\u0000");
    }

    private static ConsumerRecord<String, CloudEvent> record(String data) {
        CloudEvent event = CloudEventBuilder.v1().withId("e-1").withSource(URI.create("calling/callConnections/c-1"))
                .withType("Microsoft.Communication.CallConnected").withDataContentType("application/json")
                .withData(data.getBytes(StandardCharsets.UTF_8)).build();
        return new ConsumerRecord<>("acs.callbacks", 0, 0L, "c-1", event);
    }
}
