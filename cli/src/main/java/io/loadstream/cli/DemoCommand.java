package io.loadstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loadstream.analytics.AnalyzeApp;
import io.loadstream.analytics.AnalyzeSettings;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.live.LiveWindowView;
import io.loadstream.consumers.live.StatsTable;
import io.loadstream.consumers.results.RunSummaryReader;
import io.loadstream.producers.generate.Generator;
import io.loadstream.producers.generate.GeneratorSettings;
import io.loadstream.producers.generate.LatencyProfile;
import io.loadstream.producers.generate.SyntheticDriver;
import io.loadstream.producers.generate.TimingPublisher;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadstream demo}: the whole pipeline on one machine with only a JDK. A local Kafka broker
 * and the embedded registry, the analyze application, and a synthetic generator over three
 * endpoints with different latency profiles; a live table per window while it runs, and the run
 * summaries read back from their compacted topic at the end.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the pipeline on this machine with nothing installed but a JDK: starts a local"
                    + " Kafka broker (KRaft), the embedded schema registry and the analyze"
                    + " application, and generates synthetic load against three endpoints with"
                    + " different latency profiles. Shows the newest window of each endpoint"
                    + " while it runs, then reads the run summaries back from Kafka and prints"
                    + " them. Ctrl-C stops early and still prints the summary.",
            "Give --bootstrap-servers (and --schema-registry-url) to run against an existing"
                    + " cluster instead."
        })
final class DemoCommand implements Callable<Integer> {

    private static final Duration RESULTS_TIMEOUT = Duration.ofSeconds(60);

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registryOptions;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "How long to generate load, for example 30s or 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--rate",
            paramLabel = "REQ/S",
            defaultValue = "600",
            description = "Requests per second over all endpoints (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Window size of the live table (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--summary-json",
            paramLabel = "FILE",
            description =
                    "Also write the final table as JSON: per endpoint count, errors, throughput,"
                            + " p50, p95, p99 and max (milliseconds), and the generator's sent,"
                            + " acknowledged and failed counts.")
    Path summaryJson;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GeneratorSettings settings =
                new GeneratorSettings(
                        "demo-" + UUID.randomUUID().toString().substring(0, 8),
                        "demo",
                        "demo-generator",
                        LatencyProfile.parseList(GenerateCommand.DEFAULT_ENDPOINTS),
                        rate,
                        duration,
                        System.nanoTime());
        AnalyzeSettings analyzeSettings =
                new AnalyzeSettings(
                        window,
                        AnalyzeSettings.DEFAULT_GRACE,
                        AnalyzeSettings.DEFAULT_EMIT_INTERVAL);
        PrintWriter out = spec.commandLine().getOut();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        try (PipelineConnection pipeline = PipelineConnection.open(kafka, registryOptions, true)) {
            pipeline.onInterrupt(
                    () -> {
                        stop.set(true);
                        awaitQuietly(finished, RESULTS_TIMEOUT.plusSeconds(10));
                    });
            try {
                return run(pipeline, settings, analyzeSettings, stop, out);
            } finally {
                finished.countDown();
            }
        }
    }

    private int run(
            PipelineConnection pipeline,
            GeneratorSettings settings,
            AnalyzeSettings analyzeSettings,
            AtomicBoolean stop,
            PrintWriter out)
            throws Exception {
        Topics topics = pipeline.topics();
        try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
            new TopicSetup(admin, Optional.empty()).ensure(topics.specs());
        }
        Path stateDir = Files.createTempDirectory("loadstream-streams-");
        try {
            return run(pipeline, settings, analyzeSettings, stop, out, stateDir);
        } finally {
            Utils.delete(stateDir.toFile());
        }
    }

    private int run(
            PipelineConnection pipeline,
            GeneratorSettings settings,
            AnalyzeSettings analyzeSettings,
            AtomicBoolean stop,
            PrintWriter out,
            Path stateDir)
            throws Exception {
        Topics topics = pipeline.topics();
        try (AnalyzeApp analyze =
                        new AnalyzeApp(
                                pipeline.clientConfig(),
                                "loadstream-demo",
                                2,
                                stateDir,
                                analyzeSettings,
                                pipeline.serdes(),
                                topics);
                TimingPublisher publisher = pipeline.timingPublisher();
                LiveWindowView view =
                        new LiveWindowView(
                                        pipeline.clientConfig(),
                                        pipeline.serdes(),
                                        topics.windowStats(),
                                        settings.runId())
                                .start()) {
            analyze.start();
            awaitRunning(analyze.streams());
            Console.info(
                    "Run "
                            + settings.runId()
                            + ": "
                            + settings.rate()
                            + " req/s for "
                            + duration.toSeconds()
                            + " s over "
                            + GenerateCommand.DEFAULT_ENDPOINTS);

            AtomicReference<Generator.Progress> progress = new AtomicReference<>();
            Generator generator =
                    new Generator(
                            settings,
                            new SyntheticDriver(settings.endpoints(), settings.seed()),
                            publisher,
                            System::nanoTime,
                            System.currentTimeMillis() * 1000);
            Generator.Result result;
            try (LiveDisplay display =
                    new LiveDisplay(
                                    view,
                                    () -> progressLine(progress.get(), publisher),
                                    out,
                                    System.console() != null)
                            .start()) {
                result = generator.run(stop::get, progress::set);
            }
            publisher.flush();
            Console.info(progressLine(progress.get(), publisher));
            if (result.stoppedEarly()) {
                Console.info("Stopped early; summarising what was sent.");
            }
            Map<String, WindowStats> summaries =
                    awaitSummaries(pipeline, settings.runId(), publisher.acknowledged());
            out.println();
            out.println(
                    "Run " + settings.runId() + " summary (latency from the intended send time):");
            out.print(StatsTable.summaries(summaries.values()));
            long counted = summaries.values().stream().mapToLong(WindowStats::getCount).sum();
            out.printf(
                    "generator: sent %d, acknowledged %d, failed %d, dropped %d; analytics counted"
                            + " %d%n",
                    publisher.sent(),
                    publisher.acknowledged(),
                    publisher.failed(),
                    publisher.dropped(),
                    counted);
            out.flush();
            if (summaryJson != null) {
                writeJson(summaryJson, settings.runId(), summaries, publisher);
            }
            return counted == publisher.acknowledged() && publisher.failed() == 0 ? 0 : 1;
        }
    }

    private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()) {
                throw new IllegalStateException(
                        "the analyze application did not start (state " + streams.state() + ")");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Reads the run summaries until they account for every acknowledged event, within a bound. */
    private static Map<String, WindowStats> awaitSummaries(
            PipelineConnection pipeline, String runId, long acknowledged)
            throws InterruptedException {
        RunSummaryReader reader =
                new RunSummaryReader(
                        pipeline.clientConfig(),
                        pipeline.serdes(),
                        pipeline.topics().runSummaries());
        long deadline = System.nanoTime() + RESULTS_TIMEOUT.toNanos();
        Map<String, WindowStats> summaries = reader.latest(runId, RESULTS_TIMEOUT);
        while (summaries.values().stream().mapToLong(WindowStats::getCount).sum() < acknowledged) {
            if (System.nanoTime() > deadline) {
                Console.warn("the run summaries do not yet account for every acknowledged event");
                break;
            }
            TimeUnit.MILLISECONDS.sleep(500);
            summaries = reader.latest(runId, RESULTS_TIMEOUT);
        }
        return summaries;
    }

    private String progressLine(Generator.Progress progress, TimingPublisher publisher) {
        long elapsed = progress == null ? 0 : progress.elapsed().toSeconds();
        return String.format(
                "elapsed %ds / %ds   sent %d   acknowledged %d   failed %d   dropped %d",
                elapsed,
                duration.toSeconds(),
                publisher.sent(),
                publisher.acknowledged(),
                publisher.failed(),
                publisher.dropped());
    }

    private static void writeJson(
            Path file, String runId, Map<String, WindowStats> summaries, TimingPublisher publisher)
            throws java.io.IOException {
        Map<String, Object> endpoints = new LinkedHashMap<>();
        summaries.forEach(
                (endpoint, s) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("count", s.getCount());
                    row.put("errors", s.getErrors());
                    row.put("errorRate", s.getErrorRate());
                    row.put("throughput", s.getThroughput());
                    row.put("p50", StatsTable.ms(s.getP50Us()));
                    row.put("p95", StatsTable.ms(s.getP95Us()));
                    row.put("p99", StatsTable.ms(s.getP99Us()));
                    row.put("max", StatsTable.ms(s.getMaxUs()));
                    endpoints.put(endpoint, row);
                });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runId", runId);
        json.put("latencyUnit", "ms");
        json.put("sent", publisher.sent());
        json.put("acknowledged", publisher.acknowledged());
        json.put("failed", publisher.failed());
        json.put("dropped", publisher.dropped());
        json.put("endpoints", endpoints);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), json);
        Console.info("Summary written to " + file);
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
