package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import io.callstream.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topics command-service creates keep the log for {@code make replay}: events, commands and
 * results forever and never compacted; dead letters for 30 days.
 */
@ExtendWith(StackExtension.class)
class TopicSettingsIntegrationTests {

    @Test
    void theLogIsKeptForeverAndNeverCompacted(LocalStack stack) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            for (String topic : List.of(Topics.ACS_EVENTGRID, Topics.ACS_CALLBACKS, Topics.CALLS_COMMANDS, Topics.COMMAND_RESULTS)) {
                Config config = config(admin, topic);
                assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).as(topic).isEqualTo("-1");
                assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(topic).isEqualTo("delete");
            }
            for (String topic : List.of(Topics.ACS_EVENTGRID + ".DLT", Topics.ACS_CALLBACKS + ".DLT", Topics.CALLS_COMMANDS + ".DLT")) {
                assertThat(config(admin, topic).get(TopicConfig.RETENTION_MS_CONFIG).value()).as(topic)
                        .isEqualTo(String.valueOf(Duration.ofDays(30).toMillis()));
            }
        }
    }

    private static Config config(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}
