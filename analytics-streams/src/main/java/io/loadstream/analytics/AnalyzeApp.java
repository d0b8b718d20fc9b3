package io.loadstream.analytics;

import io.loadstream.analytics.deadletter.DeadLetterCounts;
import io.loadstream.analytics.deadletter.DeadLetterDeserializationHandler;
import io.loadstream.analytics.deadletter.DeadLetterProcessingHandler;
import io.loadstream.analytics.metrics.EndToEndLatency;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs {@link AnalyzeTopology} as a Kafka Streams application with exactly-once processing. Any
 * number of instances with the same application id share the work. Unreadable, invalid and late
 * records go to the dead-letter topic, counted in {@link #deadLetterCounts()}; the end-to-end
 * latency of the windows written is in {@link #endToEndLatency()}.
 */
public final class AnalyzeApp implements AutoCloseable {

    /** Application id (and consumer group) unless configured otherwise. */
    public static final String DEFAULT_APPLICATION_ID = "loadstream-analyze";

    private final KafkaStreams streams;
    private final DeadLetterCounts deadLetterCounts = new DeadLetterCounts();
    private final EndToEndLatency endToEndLatency = new EndToEndLatency();
    private final List<String> inputTopics;

    public AnalyzeApp(
            ClientConfig clientConfig,
            String applicationId,
            int threads,
            Path stateDir,
            AnalyzeSettings settings,
            AvroSerdes serdes,
            Topics topics) {
        Properties props = new Properties();
        props.putAll(streamsConfig(clientConfig, applicationId, threads, stateDir));
        deadLetterConfig(topics.deadLetters().name(), deadLetterCounts).forEach(props::putIfAbsent);
        inputTopics = List.of(topics.timings().name(), topics.histograms().name());
        streams =
                new KafkaStreams(
                        AnalyzeTopology.buildTopology(
                                settings, serdes, topics, endToEndLatency, Clock.systemUTC()),
                        props);
    }

    /**
     * Streams properties: the client config (connection, security) plus exactly-once defaults that
     * the config file may override.
     */
    public static Map<String, Object> streamsConfig(
            ClientConfig clientConfig, String applicationId, int threads, Path stateDir) {
        Map<String, Object> props = new HashMap<>(clientConfig.common());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.putIfAbsent(
                StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 20);
        props.putIfAbsent(
                StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }

    /**
     * The handlers that send unreadable, invalid and late records to {@code topic} with the reason
     * in headers, counting them in {@code counts}, instead of stopping the application.
     */
    public static Map<String, Object> deadLetterConfig(String topic, DeadLetterCounts counts) {
        return Map.of(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class,
                DeadLetterDeserializationHandler.TOPIC_CONFIG,
                topic,
                DeadLetterCounts.CONFIG_KEY,
                counts);
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Records sent to the dead-letter topic so far, by reason. */
    public DeadLetterCounts deadLetterCounts() {
        return deadLetterCounts;
    }

    /** Age of the newest request in each window written, for pipeline metrics. */
    public EndToEndLatency endToEndLatency() {
        return endToEndLatency;
    }

    /** The topics the application reads that producers outside it write. */
    public List<String> inputTopics() {
        return inputTopics;
    }

    public void start() {
        streams.start();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
