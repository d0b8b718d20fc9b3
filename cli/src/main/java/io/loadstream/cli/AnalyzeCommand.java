package io.loadstream.cli;

import io.loadstream.analytics.AnalyzeApp;
import io.loadstream.analytics.AnalyzeSettings;
import io.loadstream.analytics.ProcessingGuarantee;
import io.loadstream.analytics.metrics.ConsumerGroupLag;
import io.loadstream.analytics.metrics.PipelineMetricsCollector;
import io.loadstream.analytics.metrics.PipelineMetricsPublisher;
import io.loadstream.analytics.metrics.StreamsMetricsEndpoint;
import io.loadstream.avro.PipelineMetric;
import io.loadstream.avro.PipelineMetricKey;
import io.loadstream.schemas.topic.Topic;
import io.micrometer.core.instrument.FunctionCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadstream analyze}: the Kafka Streams application that turns timings into results. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the analytics Kafka Streams application (exactly-once) in two stages: stage 1"
                    + " aggregates raw timings per generator into partials on histograms, stage 2"
                    + " merges those and the partials of generators in histogram mode per run,"
                    + " scenario, endpoint and window (with --rollups), and writes WindowStats to"
                    + " window-stats (early updates, then one final record per window) and the"
                    + " whole run so far to run-summaries. Unreadable, invalid and late records go"
                    + " to dead-letters with the reason in headers. Publishes its"
                    + " own processing rate, input lag, end-to-end latency and dead letters to"
                    + " pipeline-metrics every --metrics-interval. Runs until Ctrl-C; start more"
                    + " instances with the same --application-id to share the work."
        })
final class AnalyzeCommand implements Callable<Integer> {

    /** How long one round of pipeline metrics waits for the input lag or a metadata fetch. */
    private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(5);

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registryOptions;
    @Mixin MetricsOptions metrics;

    @Spec CommandSpec spec;

    @Option(
            names = "--application-id",
            paramLabel = "ID",
            defaultValue = AnalyzeApp.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "2",
            description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Tumbling window size (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description =
                    "How long after a window's end (in event time) events are still added to it;"
                            + " later events are late: counted in the run summary and written to"
                            + " dead-letters (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "A window is final when every source of partials (stage 1 task, generator in"
                            + " histogram mode) has passed its end; a source silent this long"
                            + " stops holding windows open, so the last windows of a run are final"
                            + " this long after it ends. Keep it above the consumers'"
                            + " session.timeout.ms (45 s by default): the tasks of an instance that"
                            + " died move only after it (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(
            names = "--rollups",
            paramLabel = "DURATION",
            split = ",",
            defaultValue = "10s,1m",
            converter = DurationConverter.class,
            description =
                    "Larger windows built by merging the --window histograms, each a multiple of"
                            + " it (default: ${DEFAULT-VALUE}).")
    List<Duration> rollups;

    @Option(
            names = "--emit-interval",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description =
                    "How often open windows and run totals that changed are emitted early"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration emitInterval;

    @Option(
            names = "--run-retention",
            paramLabel = "DURATION",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description =
                    "How long a finished run's state (its total, where its windows closed) stays"
                            + " in the stores after the run is final (silent for --idle-timeout,"
                            + " all windows final); then it is deleted, and its summary stays in"
                            + " run-summaries. A partial of the run arriving later goes to"
                            + " dead-letters (default: ${DEFAULT-VALUE}).")
    Duration runRetention;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Kafka Streams state directory (default: <tmp>/loadstream-streams).")
    Path stateDir;

    @Option(
            names = "--instance-id",
            paramLabel = "ID",
            description =
                    "This instance in the keys of pipeline-metrics; give each instance on one host"
                            + " its own (default: the host name).")
    String instanceId;

    @Option(
            names = "--processing-guarantee",
            paramLabel = "GUARANTEE",
            defaultValue = "exactly_once_v2",
            description =
                    "exactly_once_v2 (default) or at_least_once, with which a crash can count"
                            + " events twice. A processing.guarantee in --config that differs is"
                            + " refused.")
    String processingGuarantee;

    @Option(
            names = "--metrics-interval",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description =
                    "How often the pipeline's own metrics are published to pipeline-metrics"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration metricsInterval;

    @Override
    public Integer call() throws InterruptedException {
        // bad options fail before anything connects
        if (threads < 1) {
            throw UsageErrors.usageError(spec, "--threads must be at least 1, not " + threads);
        }
        if (metricsInterval.isNegative() || metricsInterval.isZero()) {
            throw UsageErrors.usageError(
                    spec, "--metrics-interval must be positive, not " + metricsInterval);
        }
        ProcessingGuarantee guarantee =
                UsageErrors.parse(
                        spec,
                        "--processing-guarantee",
                        () -> ProcessingGuarantee.parse(processingGuarantee));
        if (guarantee != ProcessingGuarantee.EXACTLY_ONCE_V2) {
            Console.warn(
                    "analyze runs "
                            + guarantee.config()
                            + " (--processing-guarantee): after a crash, events can be counted"
                            + " twice");
        }
        AnalyzeSettings settings =
                UsageErrors.parse(
                        spec,
                        () ->
                                new AnalyzeSettings(
                                        window,
                                        grace,
                                        idleTimeout,
                                        emitInterval,
                                        rollups,
                                        runRetention));
        metrics.checkedAddress(spec);
        Path state =
                stateDir != null
                        ? stateDir
                        : Path.of(System.getProperty("java.io.tmpdir"), "loadstream-streams");
        CountDownLatch stopped = new CountDownLatch(1);
        try (PipelineConnection pipeline = PipelineConnection.open(kafka, registryOptions, false);
                AnalyzeApp app =
                        new AnalyzeApp(
                                pipeline.clientConfig(),
                                applicationId,
                                threads,
                                state,
                                settings,
                                pipeline.serdes(),
                                pipeline.topics(),
                                guarantee);
                Admin admin = Admin.create(pipeline.clientConfig().admin());
                Producer<PipelineMetricKey, PipelineMetric> metricsProducer =
                        metricsProducer(pipeline)) {
            PipelineMetricsPublisher publisher =
                    metricsPublisher(pipeline, app, admin, metricsProducer);
            app.streams()
                    .setStateListener(
                            (now, before) -> {
                                Console.info("analyze: " + before + " -> " + now);
                                if (now == KafkaStreams.State.ERROR
                                        || now == KafkaStreams.State.NOT_RUNNING) {
                                    stopped.countDown();
                                }
                            });
            pipeline.onInterrupt(
                    () -> {
                        publisher.close();
                        app.close();
                        stopped.countDown();
                    });
            app.start();
            publisher.start();
            try (publisher;
                    StreamsMetricsEndpoint endpoint = metricsEndpoint(app, publisher)) {
                Console.info(
                        "analyze running as "
                                + applicationId
                                + " on "
                                + pipeline.clientConfig().bootstrapServers()
                                + "; Ctrl-C stops it");
                stopped.await();
            }
            return app.streams().state() == KafkaStreams.State.ERROR ? 1 : 0;
        }
    }

    /** Publishes this instance's rate, lag, latency and dead letters every --metrics-interval. */
    private PipelineMetricsPublisher metricsPublisher(
            PipelineConnection pipeline,
            AnalyzeApp app,
            Admin admin,
            Producer<PipelineMetricKey, PipelineMetric> producer) {
        PipelineMetricsCollector collector =
                new PipelineMetricsCollector(
                        instanceId != null ? instanceId : LocalHost.name(),
                        app.streams()::metrics,
                        new ConsumerGroupLag(
                                        admin, applicationId, app.inputTopics(), METRICS_TIMEOUT)
                                ::byTopic,
                        app.endToEndLatency(),
                        deadLetters(app),
                        System::currentTimeMillis);
        return new PipelineMetricsPublisher(
                collector, producer, pipeline.topics().pipelineMetrics(), metricsInterval);
    }

    /** Dead letters so far, per reason label. */
    private static Supplier<Map<String, Long>> deadLetters(AnalyzeApp app) {
        return () -> {
            Map<String, Long> byLabel = new LinkedHashMap<>();
            app.deadLetterCounts()
                    .snapshot()
                    .forEach((reason, count) -> byLabel.put(reason.label(), count));
            return byLabel;
        };
    }

    /** A producer to pipeline-metrics whose sends give up within a round's time. */
    private static Producer<PipelineMetricKey, PipelineMetric> metricsProducer(
            PipelineConnection pipeline) {
        Topic<PipelineMetricKey, PipelineMetric> topic = pipeline.topics().pipelineMetrics();
        pipeline.serdes().registerSchemas(topic);
        Map<String, Object> config = pipeline.clientConfig().producer();
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) METRICS_TIMEOUT.toMillis());
        return new KafkaProducer<>(
                config,
                pipeline.serdes().keySerde(topic).serializer(),
                pipeline.serdes().valueSerde(topic).serializer());
    }

    /** The Prometheus endpoint when --metrics-port is given, else null. */
    private StreamsMetricsEndpoint metricsEndpoint(
            AnalyzeApp app, PipelineMetricsPublisher publisher) {
        if (metrics.port == null) {
            return null;
        }
        StreamsMetricsEndpoint endpoint =
                StreamsMetricsEndpoint.start(
                        app.streams(), deadLetters(app), metrics.host, metrics.port);
        FunctionCounter.builder(
                        "loadstream.analyze.pipeline.metrics.failures",
                        publisher,
                        PipelineMetricsPublisher::failures)
                .description("Pipeline-metrics rounds or records that could not be published")
                .register(endpoint.registry());
        Console.info("Metrics at http://" + metrics.host + ":" + endpoint.port() + "/metrics");
        return endpoint;
    }
}
