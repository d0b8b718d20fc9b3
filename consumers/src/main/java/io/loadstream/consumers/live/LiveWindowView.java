package io.loadstream.consumers.live;

import io.loadstream.avro.WindowKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows {@code window-stats} for one run in a background thread and keeps, per endpoint, the
 * newest final window: what a live table shows.
 *
 * <p>Reads: {@code window-stats}, committed records only.
 */
public final class LiveWindowView implements AutoCloseable {

    private final KafkaConsumer<WindowKey, WindowStats> consumer;
    private final String topic;
    private final String runId;
    private final long resolutionMs;
    private final Map<String, WindowStats> newestFinal = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    public LiveWindowView(
            ClientConfig clientConfig,
            AvroSerdes serdes,
            Topic<WindowKey, WindowStats> windowStats,
            String runId,
            long resolutionMs) {
        Map<String, Object> config = clientConfig.consumer("loadstream-live-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer =
                new KafkaConsumer<>(
                        config,
                        serdes.keySerde(windowStats).deserializer(),
                        serdes.valueSerde(windowStats).deserializer());
        this.topic = windowStats.name();
        this.runId = runId;
        this.resolutionMs = resolutionMs;
        this.poller = new Thread(this::poll, "live-window-view");
        poller.setDaemon(true);
    }

    /** Starts following the topic from its beginning. */
    public LiveWindowView start() {
        poller.start();
        return this;
    }

    /** The newest final window of each endpoint so far, by endpoint name. */
    public Map<String, WindowStats> newestFinalWindows() {
        return new TreeMap<>(newestFinal);
    }

    private void poll() {
        try {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<WindowKey, WindowStats> record :
                        consumer.poll(Duration.ofMillis(250))) {
                    WindowStats stats = record.value();
                    if (stats != null
                            && stats.getFinal$()
                            && stats.getResolutionMs() == resolutionMs
                            && stats.getRunId().equals(runId)) {
                        newestFinal.merge(
                                stats.getEndpoint(),
                                stats,
                                (old, now) ->
                                        now.getWindowStartMs() >= old.getWindowStartMs()
                                                ? now
                                                : old);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
