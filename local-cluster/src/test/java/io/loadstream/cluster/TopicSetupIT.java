package io.loadstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.schemas.topic.CleanupPolicy;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.TopicConfigurationException;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicSetupIT {

    private static LocalKafkaCluster kafka;
    private static Admin admin;

    @BeforeAll
    static void start() {
        kafka = LocalKafkaCluster.start();
        admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        kafka.close();
    }

    @Test
    void shouldCreateEveryTopicWithItsCleanupPolicyOnceOnly() throws Exception {
        Topics topics = new Topics("setup.");
        TopicSetup setup = new TopicSetup(admin, Optional.empty());

        TopicSetup.Result first = setup.ensure(topics.specs());
        TopicSetup.Result second = setup.ensure(topics.specs());

        assertThat(first.created()).hasSize(10);
        assertThat(second.created()).isEmpty();
        assertThat(second.existing()).containsOnlyKeys(first.created().keySet());
        for (Topic<?, ?> topic : topics.all()) {
            assertThat(cleanupPolicy(topic.name()))
                    .as(topic.name())
                    .isEqualTo(topic.cleanupPolicy().config());
            assertThat(
                            admin.describeTopics(List.of(topic.name()))
                                    .allTopicNames()
                                    .get()
                                    .get(topic.name())
                                    .partitions())
                    .hasSize(Topics.DEFAULT_PARTITIONS);
        }
        assertThat(cleanupPolicy("setup.window-stats")).isEqualTo("compact");
        assertThat(cleanupPolicy("setup.timings")).isEqualTo("delete");
    }

    @Test
    void shouldRefuseExistingTopicWithWrongCleanupPolicyBeforeCreatingAnything() throws Exception {
        Topics topics = new Topics("wrong.");
        admin.createTopics(
                        List.of(
                                new NewTopic(topics.windowStats().name(), 1, (short) 1)
                                        .configs(
                                                Map.of(
                                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                                        "delete"))))
                .all()
                .get();

        assertThatThrownBy(() -> new TopicSetup(admin, Optional.empty()).ensure(topics.specs()))
                .isInstanceOf(TopicConfigurationException.class)
                .hasMessageContaining("wrong.window-stats has cleanup.policy=delete")
                .hasMessageContaining("must have cleanup.policy=" + CleanupPolicy.COMPACT.config());
        assertThat(admin.listTopics().names().get()).doesNotContain(topics.timings().name());
    }

    private static String cleanupPolicy(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource))
                .all()
                .get()
                .get(resource)
                .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                .value();
    }
}
