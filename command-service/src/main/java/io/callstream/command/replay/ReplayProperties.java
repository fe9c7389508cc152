package io.callstream.command.replay;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A replay's settings ({@code callstream.replay.*}); absent in normal service.
 *
 * @param schema the fresh schema the projections are rebuilt in; set only by {@link Replay}, and
 *               when set, command-service consumes nothing, calls no ACS and publishes no results
 * @param liveSchema the schema the live service projects into ({@code public})
 * @param swap whether the rebuilt schema replaces the live one at the end (the live one is kept,
 *             renamed {@code <liveSchema>_before_<schema>})
 */
@ConfigurationProperties("callstream.replay")
public record ReplayProperties(String schema, @DefaultValue("public") String liveSchema, @DefaultValue("true") boolean swap) {

    /** Whether this process is a replay rather than the service. */
    public boolean replaying() {
        return schema != null && !schema.isBlank();
    }
}
