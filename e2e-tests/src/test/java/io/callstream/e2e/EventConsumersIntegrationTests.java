package io.callstream.e2e;

import io.callstream.e2e.support.LocalStack;
import io.callstream.e2e.support.StackExtension;
import io.callstream.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One command-service instance projects the event topics with {@code EVENT_CONSUMERS} consumers
 * (two by default) in its consumer group, each with partitions of its own: one projects while
 * another waits on PostgreSQL's commit ({@code make bench}: 11,954 events/s with one,
 * 21,800–26,300 with two).
 */
@ExtendWith(StackExtension.class)
class EventConsumersIntegrationTests {

    @Test
    void oneInstanceProjectsTheEventTopicsWithTwoConsumersEachOwningItsOwnPartitions(LocalStack stack) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            List<TopicPartition> eventPartitions = new ArrayList<>();
            admin.describeTopics(List.of(Topics.ACS_EVENTGRID, Topics.ACS_CALLBACKS)).allTopicNames().get()
                    .forEach((topic, description) -> description.partitions()
                            .forEach(p -> eventPartitions.add(new TopicPartition(topic, p.partition()))));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(stack.commandServiceGroup())).all().get()
                        .get(stack.commandServiceGroup());
                List<Set<TopicPartition>> eventConsumers = group.members().stream().map(MemberDescription::assignment)
                        .map(a -> a.topicPartitions().stream().filter(eventPartitions::contains)
                                .collect(java.util.stream.Collectors.toSet()))
                        .filter(owned -> !owned.isEmpty()).toList();

                assertThat(eventConsumers).hasSize(2);
                assertThat(eventConsumers.get(0)).doesNotContainAnyElementsOf(eventConsumers.get(1));
                assertThat(eventConsumers.stream().mapToInt(Set::size).sum()).isEqualTo(eventPartitions.size());
            });
        }
    }
}
