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
 *
 * <p>A record is never skipped for a fault that is not its own. When a stream thread dies (the
 * schema registry unreachable for over a minute, an {@code OutOfMemoryError}, a bug) it commits
 * nothing past the record in hand, and the {@link StreamThreadFailurePolicy} either replaces it,
 * for a transient cause, or stops this instance with one log line naming the cause and what to do;
 * the record is read again either way. The guarantee is {@code exactly_once_v2} unless {@link
 * ProcessingGuarantee#AT_LEAST_ONCE} is asked for explicitly: a {@code processing.guarantee} in the
 * client config that says otherwise is refused.
 */
public final class AnalyzeApp implements AutoCloseable {

    /** Application id (and consumer group) unless configured otherwise. */
    public static final String DEFAULT_APPLICATION_ID = "loadstream-analyze";

    private final KafkaStreams streams;
    private final DeadLetterCounts deadLetterCounts = new DeadLetterCounts();
    private final EndToEndLatency endToEndLatency = new EndToEndLatency();
    private final StreamThreadFailurePolicy failurePolicy = new StreamThreadFailurePolicy();
    private final List<String> inputTopics;

    /** An instance with exactly-once processing. */
    public AnalyzeApp(
            ClientConfig clientConfig,
            String applicationId,
            int threads,
            Path stateDir,
            AnalyzeSettings settings,
            AvroSerdes serdes,
            Topics topics) {
        this(
                clientConfig,
                applicationId,
                threads,
                stateDir,
                settings,
                serdes,
                topics,
                ProcessingGuarantee.EXACTLY_ONCE_V2);
    }

    /**
     * An instance with the given processing guarantee.
     *
     * @throws IllegalArgumentException when the client config sets another {@code
     *     processing.guarantee}
     */
    public AnalyzeApp(
            ClientConfig clientConfig,
            String applicationId,
            int threads,
            Path stateDir,
            AnalyzeSettings settings,
            AvroSerdes serdes,
            Topics topics,
            ProcessingGuarantee guarantee) {
        Properties props = new Properties();
        props.putAll(streamsConfig(clientConfig, applicationId, threads, stateDir, guarantee));
        deadLetterConfig(topics.deadLetters().name(), deadLetterCounts).forEach(props::putIfAbsent);
        inputTopics = List.of(topics.timings().name(), topics.histograms().name());
        streams =
                new KafkaStreams(
                        AnalyzeTopology.buildTopology(
                                settings, serdes, topics, endToEndLatency, Clock.systemUTC()),
                        props);
        streams.setUncaughtExceptionHandler(failurePolicy);
    }

    /** Streams properties with exactly-once processing; see {@link #streamsConfig}. */
    public static Map<String, Object> streamsConfig(
            ClientConfig clientConfig, String applicationId, int threads, Path stateDir) {
        return streamsConfig(
                clientConfig,
                applicationId,
                threads,
                stateDir,
                ProcessingGuarantee.EXACTLY_ONCE_V2);
    }

    /**
     * Streams properties: the client config (connection, security) plus defaults that the config
     * file may override, but for the processing guarantee, which only {@code guarantee} sets.
     *
     * @throws IllegalArgumentException when the client config sets another {@code
     *     processing.guarantee}, naming it and the command-line option
     */
    public static Map<String, Object> streamsConfig(
            ClientConfig clientConfig,
            String applicationId,
            int threads,
            Path stateDir,
            ProcessingGuarantee guarantee) {
        Map<String, Object> props = new HashMap<>(clientConfig.common());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                guarantee.checkedAgainst(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
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

    /** Stream threads replaced after a transient failure so far. */
    public int threadReplacements() {
        return failurePolicy.replacements();
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
