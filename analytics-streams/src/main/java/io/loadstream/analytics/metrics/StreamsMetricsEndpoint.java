package io.loadstream.analytics.metrics;

import io.loadstream.schemas.metrics.PrometheusEndpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Serves the analyze application's metrics as Prometheus text on {@code /metrics}: every Kafka
 * Streams and Kafka client metric of its {@link KafkaStreams} (through Micrometer's {@link
 * KafkaStreamsMetrics}), and the dead letters so far, in total ({@value #DEAD_LETTERS}) and per
 * reason ({@value #DEAD_LETTERS_BY_REASON}, tag {@code reason}).
 *
 * <pre>{@code
 * try (StreamsMetricsEndpoint metrics =
 *         StreamsMetricsEndpoint.start(streams, deadLetters, "127.0.0.1", 9404)) {
 *     // curl http://127.0.0.1:9404/metrics
 * }
 * }</pre>
 */
public final class StreamsMetricsEndpoint implements AutoCloseable {

    public static final String DEAD_LETTERS = "loadstream.analyze.dead.letters";
    public static final String DEAD_LETTERS_BY_REASON = "loadstream.analyze.dead.letters.by.reason";

    private final PrometheusMeterRegistry registry;
    private final KafkaStreamsMetrics streamsMetrics;
    private final PrometheusEndpoint endpoint;

    private StreamsMetricsEndpoint(
            PrometheusMeterRegistry registry,
            KafkaStreamsMetrics streamsMetrics,
            PrometheusEndpoint endpoint) {
        this.registry = registry;
        this.streamsMetrics = streamsMetrics;
        this.endpoint = endpoint;
    }

    /**
     * Binds the metrics and starts serving them on {@code host:port} (port 0 for a free one).
     *
     * @param deadLettersByReason dead letters so far per reason; a reason gets its own series when
     *     it is in the map at start (zeros included)
     */
    public static StreamsMetricsEndpoint start(
            KafkaStreams streams,
            Supplier<Map<String, Long>> deadLettersByReason,
            String host,
            int port) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        FunctionCounter.builder(
                        DEAD_LETTERS,
                        deadLettersByReason,
                        counts -> counts.get().values().stream().mapToLong(Long::longValue).sum())
                .description("Records sent to the dead-letter topic")
                .register(registry);
        for (String reason : deadLettersByReason.get().keySet()) {
            FunctionCounter.builder(
                            DEAD_LETTERS_BY_REASON,
                            deadLettersByReason,
                            counts -> counts.get().getOrDefault(reason, 0L))
                    .description("Records sent to the dead-letter topic, per reason")
                    .tag("reason", reason)
                    .register(registry);
        }
        try {
            return new StreamsMetricsEndpoint(
                    registry, streamsMetrics, PrometheusEndpoint.start(registry, host, port));
        } catch (RuntimeException e) {
            streamsMetrics.close();
            registry.close();
            throw e;
        }
    }

    /** The port metrics are served on. */
    public int port() {
        return endpoint.port();
    }

    /** The registry behind the endpoint, for more meters of the application. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        endpoint.close();
        streamsMetrics.close();
        registry.close();
    }
}
