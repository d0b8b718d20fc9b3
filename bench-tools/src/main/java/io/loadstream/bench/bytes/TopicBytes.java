package io.loadstream.bench.bytes;

import io.loadstream.bench.BenchConnection;
import io.loadstream.cli.LoadstreamCommand;
import io.loadstream.schemas.topic.Topic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prints what one of the pipeline's topics holds: its size in the brokers' log directories (the
 * batches as stored, compressed, with their headers; the largest replica of each partition, so a
 * replicated topic counts once) and its records, per partition and in all. A benchmark divides the
 * bytes by the requests behind them.
 *
 * <p>Results go to standard output as {@code name value} lines: {@code topic}, {@code bytes},
 * {@code records}, {@code partition-records} (as {@code partition:records}, space-separated).
 */
@Command(
        name = "topic-bytes",
        mixinStandardHelpOptions = true,
        description = "Prints the bytes and records on one of the pipeline's topics.")
public final class TopicBytes implements Callable<Integer> {

    @Mixin BenchConnection connection;

    @Option(
            names = "--topic",
            paramLabel = "NAME",
            required = true,
            description = "The topic, without the prefix: timings, histograms, run-summaries, ...")
    String topicName;

    public static void main(String[] args) {
        System.exit(LoadstreamCommand.commandLine(new TopicBytes()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException, ExecutionException {
        String name = connection.topicPrefix() + topicName;
        Topic<?, ?> topic =
                connection.topics().all().stream()
                        .filter(t -> t.name().equals(name))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "'" + topicName + "' is not a pipeline topic"));
        try (Admin admin = Admin.create(connection.clientConfig().admin())) {
            List<TopicPartition> partitions =
                    admin
                            .describeTopics(List.of(topic.name()))
                            .allTopicNames()
                            .get()
                            .get(topic.name())
                            .partitions()
                            .stream()
                            .map(p -> new TopicPartition(topic.name(), p.partition()))
                            .toList();
            Map<TopicPartition, Long> bytes = bytes(admin, topic.name());
            Map<Integer, Long> records = new TreeMap<>();
            Map<TopicPartition, Long> start = offsets(admin, partitions, OffsetSpec.earliest());
            offsets(admin, partitions, OffsetSpec.latest())
                    .forEach((p, end) -> records.put(p.partition(), end - start.get(p)));
            System.out.println("topic " + topic.name());
            System.out.println("bytes " + bytes.values().stream().mapToLong(Long::longValue).sum());
            System.out.println(
                    "records " + records.values().stream().mapToLong(Long::longValue).sum());
            System.out.println(
                    "partition-records "
                            + records.entrySet().stream()
                                    .map(e -> e.getKey() + ":" + e.getValue())
                                    .collect(Collectors.joining(" ")));
        }
        return 0;
    }

    /** Size of each partition of {@code topic}: the largest of its replicas. */
    private static Map<TopicPartition, Long> bytes(Admin admin, String topic)
            throws InterruptedException, ExecutionException {
        List<Integer> brokers =
                admin.describeCluster().nodes().get().stream().map(Node::id).toList();
        Map<TopicPartition, Long> sizes = new HashMap<>();
        for (Map<String, LogDirDescription> dirs :
                admin.describeLogDirs(brokers).allDescriptions().get().values()) {
            for (LogDirDescription dir : dirs.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica :
                        dir.replicaInfos().entrySet()) {
                    if (replica.getKey().topic().equals(topic)) {
                        sizes.merge(replica.getKey(), replica.getValue().size(), Math::max);
                    }
                }
            }
        }
        return sizes;
    }

    private static Map<TopicPartition, Long> offsets(
            Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException {
        return admin
                .listOffsets(
                        partitions.stream()
                                .collect(Collectors.toMap(Function.identity(), p -> spec)))
                .all()
                .get()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
