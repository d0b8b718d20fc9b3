package io.loadstream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.PipelineMetric;
import io.loadstream.avro.PipelineMetricKey;
import io.loadstream.schemas.topic.CleanupPolicy;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@LocalPipeline
class LocalPipelineIT {

    private static TestPipeline shared;

    @BeforeAll
    static void remember(TestPipeline pipeline) {
        shared = pipeline;
    }

    @Test
    void shouldGiveEveryTestOfTheJvmTheSameStartedPipeline(TestPipeline pipeline) {
        assertThat(pipeline).isSameAs(shared);
        assertThat(pipeline.bootstrapServers()).startsWith("127.0.0.1:");
        assertThat(pipeline.registryClient().subjects()).isNotNull();
    }

    @Test
    void shouldCreateEveryTopicUnderAPrefixOfItsOwn(TestPipeline pipeline) throws Exception {
        Topics first = pipeline.newTopics();
        Topics second = pipeline.newTopics();

        assertThat(first.timings().name()).isNotEqualTo(second.timings().name());
        try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names)
                    .containsAll(first.all().stream().map(Topic::name).toList())
                    .containsAll(second.all().stream().map(Topic::name).toList());
            ConfigResource summaries =
                    new ConfigResource(ConfigResource.Type.TOPIC, first.runSummaries().name());
            Config config = admin.describeConfigs(List.of(summaries)).all().get().get(summaries);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                    .isEqualTo(CleanupPolicy.COMPACT.config());
        }
    }

    @Test
    void shouldReadCommittedRecordsOnlyAndKeepTheLatestPerKey(TestPipeline pipeline) {
        Topics topics = pipeline.newTopics();
        String topic = topics.deadLetters().name();
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer(pipeline)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, "a", "1"));
            producer.send(record(topic, "a", "2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record(topic, "a", "aborted"));
            producer.send(record(topic, "b", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }

        try (CommittedRecords<String, String> records =
                new CommittedRecords<>(
                        pipeline.clientConfig(),
                        topic,
                        new StringDeserializer(),
                        new StringDeserializer())) {
            // a commit returns before the broker has written the transaction's markers, and until
            // then the last stable offset stops short of it: wait for the committed records
            await().atMost(Duration.ofSeconds(30)).until(() -> records.poll().size() >= 2);
            List<ConsumerRecord<String, String>> read = records.readToEnd(Duration.ofSeconds(30));
            assertThat(read).extracting(ConsumerRecord::value).containsExactly("1", "2");
            assertThat(CommittedRecords.latestByKey(read)).isEqualTo(Map.of("a", "2"));
        }
    }

    @Test
    void shouldWriteAndReadRecordsWithTheRegistrysSerdes(TestPipeline pipeline) throws Exception {
        Topic<PipelineMetricKey, PipelineMetric> topic = pipeline.newTopics().pipelineMetrics();
        PipelineMetricKey key = new PipelineMetricKey("analyze", "it-1", "lag");
        PipelineMetric metric =
                new PipelineMetric("analyze", "it-1", "lag", 42.0, "records", 1L, Map.of());

        try (KafkaProducer<PipelineMetricKey, PipelineMetric> producer = pipeline.producer(topic)) {
            producer.send(new ProducerRecord<>(topic.name(), key, metric))
                    .get(30, TimeUnit.SECONDS);
        }

        try (CommittedRecords<PipelineMetricKey, PipelineMetric> records =
                pipeline.committed(topic)) {
            assertThat(CommittedRecords.latestByKey(records.readToEnd(Duration.ofSeconds(30))))
                    .isEqualTo(Map.of(key, metric));
        }
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(TestPipeline pipeline) {
        Map<String, Object> config = pipeline.clientConfig().producer();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + pipeline.newPrefix());
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(
                topic,
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }
}
