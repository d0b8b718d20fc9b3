package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.ThresholdRule;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.CommittedRecords;
import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rules apply}, {@code rules list} and {@code rules delete} through the command line, on the
 * module's shared broker, read back from the rules topic.
 */
@LocalPipeline
class RulesCommandIT {

    private static final String RULES =
            """
            rules:
              - id: checkout-p99
                endpoint: checkout
                metric: p99
                above: {warning: 300ms, critical: 500ms}
                resolution: 10s
              - id: errors
                metric: error_rate
                above: 1%
                resolution: run
            """;

    @Test
    void shouldApplyListAndDeleteRulesOnTheCompactedTopic(TestPipeline pipeline, @TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("rules.yaml"), RULES);
        String prefix = pipeline.newPrefix();
        Topics topics = new Topics(prefix);

        CommandRun apply = rules(pipeline, prefix, "apply", "--file", file.toString());

        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out())
                .contains("Wrote 2 rules to " + topics.rules().name() + ", each acknowledged")
                .containsPattern("checkout-p99 +\\*/\\*/checkout +p99");
        assertThat(cleanupPolicy(pipeline, topics.rules().name()))
                .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        Map<String, ThresholdRule> applied = latest(pipeline, topics);
        assertThat(applied).containsOnlyKeys("checkout-p99", "errors");
        assertThat(applied.get("checkout-p99").getCritical()).isEqualTo(500_000.0);
        assertThat(applied.get("checkout-p99").getSource()).isEqualTo("rules " + file + ":2");

        // a changed rule replaces the one with its id
        Files.writeString(file, RULES.replace("critical: 500ms", "critical: 400ms"));
        assertThat(rules(pipeline, prefix, "apply", "--file", file.toString()).exitCode()).isZero();
        CommandRun list = rules(pipeline, prefix, "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().skip(1).map(line -> line.split(" +")[0]))
                .containsExactly("checkout-p99", "errors");
        assertThat(list.out()).contains("above warning 300ms critical 400ms");

        CommandRun delete = rules(pipeline, prefix, "delete", "errors", "no-such-rule");

        assertThat(delete.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(delete.out().lines()).containsExactly("deleted errors");
        assertThat(delete.errLines())
                .containsExactly(
                        "error: no rule 'no-such-rule' on "
                                + topics.rules().name()
                                + " (rules list shows the ids)");
        // one partition per key: the id's last record is its tombstone
        assertThat(records(pipeline, topics))
                .filteredOn(record -> record.key().equals("errors"))
                .last()
                .satisfies(tombstone -> assertThat(tombstone.value()).isNull());
        assertThat(latest(pipeline, topics)).containsOnlyKeys("checkout-p99");
        CommandRun afterDelete = rules(pipeline, prefix, "list");
        assertThat(afterDelete.out()).contains("checkout-p99").doesNotContain("errors");
    }

    @Test
    void shouldListNoRulesBeforeAnyWereApplied(TestPipeline pipeline) {
        CommandRun list = rules(pipeline, pipeline.newPrefix(), "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines()).hasSize(1);
    }

    private static CommandRun rules(TestPipeline pipeline, String prefix, String... args) {
        String[] connection = {
            "-b",
            pipeline.bootstrapServers(),
            "--schema-registry-url",
            pipeline.registryUrl(),
            "--topic-prefix",
            prefix
        };
        String[] all = new String[args.length + connection.length + 1];
        all[0] = "rules";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(connection, 0, all, args.length + 1, connection.length);
        return CommandRun.of(all);
    }

    private static List<ConsumerRecord<String, ThresholdRule>> records(
            TestPipeline pipeline, Topics topics) {
        try (CommittedRecords<String, ThresholdRule> reader = pipeline.committed(topics.rules())) {
            return reader.readToEnd(Duration.ofSeconds(10));
        }
    }

    private static Map<String, ThresholdRule> latest(TestPipeline pipeline, Topics topics) {
        Map<String, ThresholdRule> latest =
                new HashMap<>(CommittedRecords.latestByKey(records(pipeline, topics)));
        latest.values().removeIf(Objects::isNull);
        return latest;
    }

    private static String cleanupPolicy(TestPipeline pipeline, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
            ConfigEntry entry =
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get()
                            .get(resource)
                            .get(TopicConfig.CLEANUP_POLICY_CONFIG);
            return entry.value();
        }
    }
}
