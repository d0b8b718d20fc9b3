package io.loadstream.cli;

import io.loadstream.avro.ThresholdRule;
import io.loadstream.consumers.compacted.CompactedTopicReader;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.TopicSetup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/** The rules on the compacted rules topic now, for {@code rules list} and {@code rules delete}. */
final class RulesTopic {

    /** How long reading the topic to its end may take. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private RulesTopic() {}

    /**
     * The latest version of every rule, by id, deleted ones left out; none when the topic does not
     * exist yet.
     */
    static Map<String, ThresholdRule> read(PipelineConnection pipeline) {
        Topic<String, ThresholdRule> rules = pipeline.topics().rules();
        try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
            TopicSetup.Result found =
                    new TopicSetup(admin, Optional.empty()).check(List.of(rules.spec()));
            if (!found.missing().isEmpty()) {
                return Map.of();
            }
        }
        try (CompactedTopicReader<String, ThresholdRule> reader =
                CompactedTopicReader.open(
                        pipeline.clientConfig(), pipeline.serdes(), rules, id -> true)) {
            return reader.readToEnd(READ_TIMEOUT);
        }
    }
}
