package io.loadstream.producers.metrics;

import io.loadstream.producers.publish.Publisher;
import io.loadstream.schemas.metrics.PrometheusEndpoint;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A generator's meters while it runs: its {@link GeneratorStats} (requests by outcome, latency) in
 * front of the publisher, and the publisher's counts (acknowledged, failed, dropped, pending), in
 * one Prometheus registry, served on {@code /metrics} when an address is given.
 *
 * <pre>{@code
 * try (GeneratorMetrics metrics = GeneratorMetrics.start(publisher, 5, Optional.empty())) {
 *     execution = new LoadExecution(..., metrics.stats());  // events pass on to the publisher
 * }
 * }</pre>
 */
public final class GeneratorMetrics implements AutoCloseable {

    private final GeneratorStats stats;
    private final MeterRegistry registry;
    private final PrometheusEndpoint endpoint;
    private final String url;

    private GeneratorMetrics(
            GeneratorStats stats, MeterRegistry registry, PrometheusEndpoint endpoint, String url) {
        this.stats = stats;
        this.registry = registry;
        this.endpoint = endpoint;
        this.url = url;
    }

    /**
     * @param rollingSeconds how many seconds {@link GeneratorStats#recent()} covers
     * @param serveAt where to serve the metrics, if anywhere
     */
    public static GeneratorMetrics start(
            Publisher publisher, int rollingSeconds, Optional<MetricsAddress> serveAt) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GeneratorStats stats = new GeneratorStats(publisher, registry, rollingSeconds);
        registry.more()
                .counter(
                        "loadstream.generator.published",
                        List.of(),
                        publisher,
                        Publisher::acknowledged);
        registry.more()
                .counter(
                        "loadstream.generator.publish.failed",
                        List.of(),
                        publisher,
                        Publisher::failed);
        registry.more()
                .counter(
                        "loadstream.generator.publish.dropped",
                        List.of(),
                        publisher,
                        Publisher::dropped);
        registry.gauge("loadstream.generator.publish.pending", publisher, Publisher::pending);
        if (serveAt.isEmpty()) {
            return new GeneratorMetrics(stats, registry, null, null);
        }
        MetricsAddress address = serveAt.get();
        PrometheusEndpoint endpoint =
                PrometheusEndpoint.start(registry, address.host(), address.port());
        return new GeneratorMetrics(
                stats,
                registry,
                endpoint,
                "http://" + address.host() + ":" + endpoint.port() + "/metrics");
    }

    /** The stats, to hand every timing event to; they pass it on to the publisher. */
    public GeneratorStats stats() {
        return stats;
    }

    /**
     * Shows how long a step of getting ready took, as {@code
     * loadstream_generator_ready_seconds{step="kafka"}} ({@code step="total"} for all of them).
     */
    public void ready(String step, Duration took) {
        Gauge.builder("loadstream.generator.ready", () -> took.toNanos() / 1e9)
                .tag("step", step)
                .baseUnit("seconds")
                .description("time a step of getting ready took, before the run's time 0")
                .register(registry);
    }

    /** Where the metrics are served, if they are. */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    /** Stops serving the metrics. */
    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
