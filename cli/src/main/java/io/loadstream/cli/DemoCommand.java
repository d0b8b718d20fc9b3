package io.loadstream.cli;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.schemas.serde.WireFormat;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadstream demo}: the pipeline on one machine with only a JDK. For now it brings up the
 * platform (a local Kafka broker, the embedded schema registry, the topics) and proves it works by
 * writing timing events through the registry and reading them back.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs loadstream on this machine with nothing installed but a JDK: starts a local"
                    + " Kafka broker (KRaft) and the embedded schema registry, creates the"
                    + " topics, writes timing events through the registry and reads them back.",
            "Give --bootstrap-servers and --schema-registry-url to run against an existing"
                    + " cluster and registry instead."
        })
final class DemoCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registryOptions;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Timing events to write and read back (default: ${DEFAULT-VALUE}).")
    int events;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (events < 1) {
            throw new IllegalArgumentException("--events must be at least 1, not " + events);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (PipelineConnection pipeline = PipelineConnection.open(kafka, registryOptions, true)) {
            Topics topics = pipeline.topics();
            TopicSetup.Result setup;
            try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
                setup = new TopicSetup(admin, Optional.empty()).ensure(topics.specs());
            }
            String runId = "demo-" + UUID.randomUUID().toString().substring(0, 8);
            List<RequestTiming> sent = produce(pipeline, runId);
            List<RequestTiming> read = consume(pipeline, runId, sent.size());
            int schemaId =
                    pipeline.registry()
                            .version(WireFormat.subject(topics.timings().name(), false), "latest")
                            .id();

            out.printf(
                    "%-18s %s%n",
                    "Kafka",
                    pipeline.clientConfig().bootstrapServers()
                            + (pipeline.localCluster() != null ? " (local broker, KRaft)" : ""));
            out.printf(
                    "%-18s %s%n",
                    "Schema registry",
                    String.join(",", pipeline.registry().urls())
                            + (pipeline.embeddedRegistry() != null ? " (embedded)" : ""));
            out.printf(
                    "%-18s %d created, %d existed (prefix %s)%n",
                    "Topics", setup.created().size(), setup.existing().size(), kafka.topicPrefix);
            out.printf(
                    "%-18s %d RequestTiming events written to %s (schema id %d), %d read back,"
                            + " %s%n",
                    "Round trip",
                    sent.size(),
                    topics.timings().name(),
                    schemaId,
                    read.size(),
                    read.equals(sent) ? "all equal" : "MISMATCH");
            out.flush();
            return read.equals(sent) ? 0 : 1;
        }
    }

    private List<RequestTiming> produce(PipelineConnection pipeline, String runId)
            throws Exception {
        Topic<SeriesKey, RequestTiming> timings = pipeline.topics().timings();
        List<RequestTiming> sent = new ArrayList<>();
        long now = System.currentTimeMillis() * 1000;
        try (var producer =
                new KafkaProducer<>(
                        pipeline.clientConfig().producer(),
                        pipeline.serdes().keySerde(timings).serializer(),
                        pipeline.serdes().valueSerde(timings).serializer())) {
            SeriesKey key = new SeriesKey(runId, "platform-check", "echo", "demo");
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                RequestTiming timing =
                        RequestTiming.newBuilder()
                                .setRunId(runId)
                                .setScenario("platform-check")
                                .setEndpoint("echo")
                                .setGeneratorId("demo")
                                .setIntendedSendTimeUs(now + i * 1000L)
                                .setActualSendTimeUs(now + i * 1000L + 50)
                                .setLatencyUs(1000 + i)
                                .setOutcome(Outcome.SUCCESS)
                                .setStatusCode(200)
                                .setTags(Map.of())
                                .build();
                acks.add(producer.send(new ProducerRecord<>(timings.name(), key, timing)));
                sent.add(timing);
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        return sent;
    }

    private static List<RequestTiming> consume(
            PipelineConnection pipeline, String runId, int expected) {
        Topic<SeriesKey, RequestTiming> timings = pipeline.topics().timings();
        List<RequestTiming> read = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (var consumer =
                new KafkaConsumer<>(
                        pipeline.clientConfig().consumer("loadstream-demo-" + runId),
                        new ByteArrayDeserializer(),
                        pipeline.serdes().valueSerde(timings).deserializer())) {
            consumer.subscribe(List.of(timings.name()));
            while (read.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], RequestTiming> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().getRunId().equals(runId)) {
                        read.add(record.value());
                    }
                }
            }
        }
        return read;
    }
}
