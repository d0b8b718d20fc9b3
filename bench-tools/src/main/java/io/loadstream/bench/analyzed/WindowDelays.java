package io.loadstream.bench.analyzed;

import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.bench.BenchConnection;
import io.loadstream.cli.DurationConverter;
import io.loadstream.cli.LoadstreamCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Follows {@code window-stats} while a run goes on and says how far behind the run its windows are:
 * for every 1 s window, when its first early update became readable (committed) after the window's
 * start, and when its final record did after the window's end, by this machine's wall clock (the
 * generator's clock too, on one machine).
 *
 * <p>Prints one line per final window, then {@code name value} lines: {@code windows}, {@code
 * final-after-end-ms p50/p90/max} and {@code first-update-after-start-ms p50/p90/max}.
 */
@Command(
        name = "window-delays",
        mixinStandardHelpOptions = true,
        description = "How long after their end the final 1 s windows of a run are readable.")
public final class WindowDelays implements Callable<Integer> {

    @Mixin BenchConnection connection;

    @Option(names = "--run-id", paramLabel = "ID", required = true, description = "The run.")
    String runId;

    @Option(
            names = "--follow",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to follow the topic (default: ${DEFAULT-VALUE}).")
    Duration follow;

    public static void main(String[] args) {
        System.exit(LoadstreamCommand.commandLine(new WindowDelays()).execute(args));
    }

    @Override
    public Integer call() {
        Map<String, Object> props =
                connection.clientConfig().consumer("loadstream-bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var topic = connection.topics().windowStats();
        Map<WindowKey, Long> firstUpdate = new HashMap<>();
        List<Long> finals = new ArrayList<>();
        List<Long> updates = new ArrayList<>();
        try (KafkaConsumer<WindowKey, WindowStats> consumer =
                new KafkaConsumer<>(
                        props,
                        connection.serdes().keySerde(topic).deserializer(),
                        connection.serdes().valueSerde(topic).deserializer())) {
            // analyze creates the topics when it starts, perhaps after this
            List<TopicPartition> partitions = List.of();
            long giveUp = System.currentTimeMillis() + 60_000;
            while (partitions.isEmpty() && System.currentTimeMillis() < giveUp) {
                partitions =
                        consumer.partitionsFor(topic.name()).stream()
                                .map(p -> new TopicPartition(p.topic(), p.partition()))
                                .toList();
                if (partitions.isEmpty()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
                }
            }
            if (partitions.isEmpty()) {
                throw new IllegalStateException(topic.name() + " did not appear within 60 s");
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            long until = System.currentTimeMillis() + follow.toMillis();
            while (System.currentTimeMillis() < until) {
                for (ConsumerRecord<WindowKey, WindowStats> r :
                        consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    WindowKey key = r.key();
                    if (key == null
                            || !key.getRunId().equals(runId)
                            || key.getResolutionMs() != 1000) {
                        continue;
                    }
                    if (firstUpdate.putIfAbsent(key, now) == null) {
                        updates.add(now - key.getWindowStartMs());
                    }
                    if (r.value().getFinal$()) {
                        long afterEnd = now - (key.getWindowStartMs() + 1000);
                        finals.add(afterEnd);
                        System.out.printf(
                                "window %s %d: first update %d ms after start, final %d ms after"
                                        + " end%n",
                                key.getEndpoint(),
                                key.getWindowStartMs(),
                                firstUpdate.get(key) - key.getWindowStartMs(),
                                afterEnd);
                    }
                }
            }
        }
        System.out.println("windows " + finals.size());
        System.out.println("final-after-end-ms " + spread(finals));
        System.out.println("first-update-after-start-ms " + spread(updates));
        return finals.isEmpty() ? 1 : 0;
    }

    private static String spread(List<Long> values) {
        if (values.isEmpty()) {
            return "n/a";
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2)
                + "/"
                + sorted.get((int) (sorted.size() * 0.9))
                + "/"
                + sorted.get(sorted.size() - 1);
    }
}
