package io.loadstream.cli;

import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.EndpointChooser;
import io.loadstream.producers.execute.TimingEvents;
import io.loadstream.producers.generate.HistogramPublisher;
import io.loadstream.producers.generate.TimingPublisher;
import io.loadstream.producers.generate.TimingSink;
import io.loadstream.producers.metrics.GeneratorStats;
import io.loadstream.producers.run.BreakingPoint;
import io.loadstream.producers.run.LoadExecution;
import io.loadstream.producers.run.LoadShare;
import io.loadstream.producers.scenario.ExecutorSpec;
import io.loadstream.producers.scenario.StopCondition;
import io.loadstream.schemas.metrics.PrometheusEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * One generator's run, as {@code generate} and {@code demo} make it: the executor of the spec, the
 * generator's live stats and metrics, and the publisher (raw events or interval histograms). Once a
 * second it rolls the stats, publishes the histograms that are due, checks the stress test's stop
 * condition and reports a status line.
 */
final class GeneratorRun implements AutoCloseable {

    /** What is published per request. */
    enum PublishMode {
        /** One RequestTiming per request to the timings topic. */
        EVENTS,
        /** One IntervalHistogram per endpoint and second to the histograms topic. */
        HISTOGRAMS
    }

    /** How a run went, for the report. */
    record Report(
            LoadExecution.Result result,
            long events,
            long acknowledged,
            long failed,
            long dropped,
            Optional<String> breakingPoint,
            Optional<String> firstFailure) {}

    private final TimingPublisher events;
    private final HistogramPublisher histograms;
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PrometheusEndpoint metricsEndpoint;
    private final GeneratorStats stats;

    GeneratorRun(
            PipelineConnection pipeline,
            PublishMode mode,
            int bufferEvents,
            String metricsHost,
            Integer metricsPort) {
        this.events = mode == PublishMode.EVENTS ? pipeline.timingPublisher(bufferEvents) : null;
        this.histograms = mode == PublishMode.HISTOGRAMS ? pipeline.histogramPublisher() : null;
        TimingSink sink = events != null ? events : histograms;
        this.stats = new GeneratorStats(sink, registry, 5);
        if (events != null) {
            registry.more()
                    .counter(
                            "loadstream.generator.published",
                            List.of(),
                            events,
                            TimingPublisher::acknowledged);
            registry.more()
                    .counter(
                            "loadstream.generator.publish.dropped",
                            List.of(),
                            events,
                            TimingPublisher::dropped);
            registry.gauge(
                    "loadstream.generator.publish.pending", events, TimingPublisher::pending);
        }
        this.metricsEndpoint =
                metricsPort == null
                        ? null
                        : PrometheusEndpoint.start(registry, metricsHost, metricsPort);
        if (metricsEndpoint != null) {
            Console.info(
                    "Metrics at http://" + metricsHost + ":" + metricsEndpoint.port() + "/metrics");
        }
    }

    /** Runs the spec; {@code status} gets a one-line status about once a second. */
    Report run(
            ExecutorSpec spec,
            LoadShare share,
            Driver driver,
            EndpointChooser chooser,
            TimingEvents timingEvents,
            StopCondition stopWhen,
            BooleanSupplier stopRequested,
            Consumer<String> status) {
        AtomicReference<String> breakingPoint = new AtomicReference<>();
        LoadExecution execution =
                new LoadExecution(spec, share, driver, chooser, timingEvents, stats);
        LoadExecution.Result result =
                execution.run(
                        () -> stopRequested.getAsBoolean() || breakingPoint.get() != null,
                        progress -> {
                            stats.roll();
                            if (histograms != null) {
                                histograms.publishDue();
                            }
                            if (stopWhen != null && breakingPoint.get() == null) {
                                breach(stopWhen, progress).ifPresent(breakingPoint::set);
                            }
                            status.accept(statusLine(progress));
                        });
        return finish(result, Optional.ofNullable(breakingPoint.get()));
    }

    private Optional<String> breach(StopCondition stopWhen, LoadExecution.Status progress) {
        return BreakingPoint.check(
                stopWhen,
                stats.recentErrorRate(),
                stats.recent().getValueAtPercentile(99),
                progress.target(),
                progress.elapsed());
    }

    private String statusLine(LoadExecution.Status s) {
        Histogram recent = stats.recent();
        String publishing =
                events != null
                        ? String.format(
                                "unpublished %d  publish-dropped %d",
                                events.pending(), events.dropped())
                        : String.format("histograms %d", histograms.intervals());
        return String.format(
                Locale.ROOT,
                "%ds/%ds  rate %d/%s  in-flight %d  p50 %.1fms p99 %.1fms (5s)  errors %d  dropped"
                        + " %d  %s",
                s.elapsed().toSeconds(),
                s.total().toSeconds(),
                stats.lastSecondRequests(),
                s.target(),
                s.inFlight(),
                recent.getValueAtPercentile(50) / 1000.0,
                recent.getValueAtPercentile(99) / 1000.0,
                stats.errors(),
                s.dropped(),
                publishing);
    }

    private Report finish(LoadExecution.Result result, Optional<String> breakingPoint) {
        if (events != null) {
            events.flush(Duration.ofSeconds(60));
            events.close();
            return new Report(
                    result,
                    events.sent(),
                    events.acknowledged(),
                    events.failed(),
                    events.dropped(),
                    breakingPoint,
                    events.firstFailure());
        }
        histograms.close();
        return new Report(
                result,
                histograms.events(),
                histograms.acknowledged(),
                histograms.failed(),
                0,
                breakingPoint,
                histograms.firstFailure());
    }

    @Override
    public void close() {
        if (events != null) {
            events.close();
        }
        if (histograms != null) {
            histograms.close();
        }
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
    }
}
