package io.loadstream.analytics.metrics;

import io.loadstream.avro.PipelineMetric;
import io.loadstream.avro.PipelineMetricKey;
import io.loadstream.schemas.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a {@link PipelineMetricsCollector}'s rounds to the compacted {@code pipeline-metrics}
 * topic every interval, on a daemon thread of its own, keyed by component, instance and metric. A
 * round that cannot be collected or sent (Kafka away) is logged and counted in {@link #failures()},
 * and the next round runs as planned. The producer is the caller's, and so is closing it.
 *
 * <pre>{@code
 * try (PipelineMetricsPublisher publisher =
 *         new PipelineMetricsPublisher(collector, producer, topics.pipelineMetrics(),
 *                 PipelineMetricsPublisher.DEFAULT_INTERVAL)) {
 *     publisher.start();
 *     ...
 * }
 * }</pre>
 */
public final class PipelineMetricsPublisher implements AutoCloseable {

    /** How often metrics are published unless configured otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(PipelineMetricsPublisher.class);

    private final PipelineMetricsCollector collector;
    private final Producer<PipelineMetricKey, PipelineMetric> producer;
    private final String topic;
    private final Duration interval;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(
                    task -> {
                        Thread thread = new Thread(task, "loadstream-pipeline-metrics");
                        thread.setDaemon(true);
                        return thread;
                    });
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    // warn when publishing starts failing, not on every failed record of an outage
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean closed;

    public PipelineMetricsPublisher(
            PipelineMetricsCollector collector,
            Producer<PipelineMetricKey, PipelineMetric> producer,
            Topic<PipelineMetricKey, PipelineMetric> topic,
            Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, not " + interval);
        }
        this.collector = collector;
        this.producer = producer;
        this.topic = topic.name();
        this.interval = interval;
    }

    /** Publishes the first round one interval from now, then every interval. */
    public void start() {
        long ms = interval.toMillis();
        scheduler.scheduleAtFixedRate(this::publishRound, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Metric records acknowledged by Kafka. */
    public long published() {
        return published.get();
    }

    /** Rounds that could not be collected plus records that could not be sent. */
    public long failures() {
        return failures.get();
    }

    private void publishRound() {
        try {
            List<PipelineMetric> metrics = collector.collect();
            for (PipelineMetric metric : metrics) {
                if (closed) {
                    return;
                }
                send(metric);
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void send(PipelineMetric metric) {
        PipelineMetricKey key =
                new PipelineMetricKey(
                        metric.getComponent(), metric.getInstance(), metric.getMetric());
        producer.send(
                new ProducerRecord<>(topic, null, metric.getTimestampMs(), key, metric),
                (metadata, error) -> {
                    if (error != null) {
                        failed(error);
                    } else {
                        published.incrementAndGet();
                        if (failing.compareAndSet(true, false)) {
                            log.info("Publishing pipeline metrics to {} again", topic);
                        }
                    }
                });
    }

    private void failed(Throwable error) {
        failures.incrementAndGet();
        if (!closed && failing.compareAndSet(false, true)) {
            log.warn("Cannot publish pipeline metrics to {}: {}", topic, error.toString());
        } else {
            log.debug("Cannot publish pipeline metrics to {}", topic, error);
        }
    }

    /** Stops publishing: once this returns, no round runs and no record is sent any more. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdown();
        try {
            // a round blocked on an unreachable broker gives up within the producer's max.block.ms
            if (!scheduler.awaitTermination(interval.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
                log.warn("The pipeline metrics thread did not stop in time; interrupting it");
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
