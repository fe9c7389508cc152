package io.callstream.command.acs;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatabilityTests {

    private static final Instant CLAIMED = Instant.parse("2026-11-24T06:00:07Z");

    @Test
    void theRequestIdIsStableForACommandAndDiffersBetweenCommands() {
        Repeatability first = Repeatability.of("command-1", CLAIMED);

        assertThat(Repeatability.of("command-1", CLAIMED.plusSeconds(3600)).requestId()).isEqualTo(first.requestId());
        assertThat(Repeatability.of("command-2", CLAIMED).requestId()).isNotEqualTo(first.requestId());
    }

    @Test
    void theRequestIdIsAVersion4UuidAndFirstSentAnRfc1123Date() {
        Repeatability repeatability = Repeatability.of("command-1", CLAIMED);

        UUID id = UUID.fromString(repeatability.requestId());
        assertThat(id.version()).isEqualTo(4);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(repeatability.firstSent()).isEqualTo("Tue, 24 Nov 2026 06:00:07 GMT");
    }

    @Test
    void theHeadersApplyOnlyInsideAround() {
        assertThat(Repeatability.context().getData(Repeatability.CONTEXT_KEY)).isEmpty();

        Object inside = Repeatability.of("c", CLAIMED).around(() -> Repeatability.context().getData(Repeatability.CONTEXT_KEY).orElse(null));

        assertThat(inside).isEqualTo(Repeatability.of("c", CLAIMED));
        assertThat(Repeatability.context().getData(Repeatability.CONTEXT_KEY)).isEmpty();
    }
}
