package io.loadstream.cli;

import io.loadstream.analytics.AnalyzeApp;
import io.loadstream.analytics.AnalyzeSettings;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.consumers.check.CheckReport;
import io.loadstream.consumers.check.RuleVerdict;
import io.loadstream.consumers.check.RunCheckReader;
import io.loadstream.consumers.live.LiveWindowView;
import io.loadstream.consumers.results.GeneratorCounts;
import io.loadstream.consumers.results.RunSummaries;
import io.loadstream.consumers.results.RunSummaryReader;
import io.loadstream.consumers.results.RunSummaryReport;
import io.loadstream.producers.http.HttpClientSettings;
import io.loadstream.producers.publish.PublishMode;
import io.loadstream.producers.publish.Publisher;
import io.loadstream.producers.publish.Publishers;
import io.loadstream.producers.publish.TimingPublisher;
import io.loadstream.producers.rules.RuleWriter;
import io.loadstream.producers.rules.RulesLoader;
import io.loadstream.producers.run.GeneratorRun;
import io.loadstream.producers.run.LoadPlan;
import io.loadstream.producers.run.LoadShare;
import io.loadstream.producers.run.Readiness;
import io.loadstream.producers.run.RunClock;
import io.loadstream.producers.run.WarmUp;
import io.loadstream.producers.target.TargetConfig;
import io.loadstream.producers.target.TargetServer;
import io.loadstream.schemas.topic.TopicSetup;
import io.loadstream.schemas.topic.Topics;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
 * and the embedded registry, the analyze application, the demo target with its fault schedule, and
 * a generator sending it HTTP requests; a live table per window while it runs, and the run
 * summaries read back from their compacted topic at the end.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the pipeline on this machine with nothing installed but a JDK: starts a local"
                    + " Kafka broker (KRaft), the embedded schema registry, the analyze"
                    + " application and the demo target (targets/demo.yaml: home, search and"
                    + " checkout with different latency profiles, and a fault schedule: search"
                    + " gets 8 times slower 20 s in), and sends it HTTP load at a constant rate,"
                    + " after a warm-up at the same rate (--warmup) whose requests are published"
                    + " but kept out of the results. Shows the newest window of each endpoint"
                    + " while it runs, then reads the run summaries back from Kafka and prints"
                    + " them with the number of warm-up requests excluded. Ctrl-C stops early and"
                    + " still prints the summary.",
            "Before the run it publishes the demo's rules (rules/demo.yaml: search's 1 s p99,"
                + " checkout's errors per second, the run's error budget) for analyze to judge as"
                + " alerts, shows their alerts as they fire and resolve, and at the end prints the"
                + " verdict 'loadstream check' gives the run: the demo target's faults are there to"
                + " break some of them. The exit status does not depend on the verdict: 0 when"
                + " every event was accounted for.",
            "Give --bootstrap-servers (and --schema-registry-url) to run against an existing"
                    + " cluster instead."
        })
final class DemoCommand implements Callable<Integer> {

    private static final Duration RESULTS_TIMEOUT = Duration.ofSeconds(60);
    private static final String DEMO_RULES = "rules/demo.yaml";
    private static final Duration ANALYZE_START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Half the default: a final window is forwarded by stage 1's and then stage 2's punctuation,
     * each waiting up to this long after the window's grace has passed, so the first final window
     * is on screen about half a second sooner; at the demo's rate the twice as many early updates
     * cost nothing that shows.
     */
    private static final Duration EMIT_INTERVAL = Duration.ofMillis(500);

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
            names = "--warmup",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description =
                    "Warm-up before the --duration, at the same rate: its requests are published"
                            + " marked as warm-up and kept out of windows and summaries; 0s for"
                            + " none (default: ${DEFAULT-VALUE}).")
    Duration warmup;

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
        // bad options fail before a broker is started for them
        if (!(rate > 0)) {
            throw UsageErrors.usageError(spec, "--rate must be positive, not " + rate);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw UsageErrors.usageError(spec, "--duration must be positive, not " + duration);
        }
        if (warmup.isNegative()) {
            throw UsageErrors.usageError(spec, "--warmup must not be negative, not " + warmup);
        }
        checkSummaryDirectory();
        String runId = "demo-" + UUID.randomUUID().toString().substring(0, 8);
        AnalyzeSettings analyzeSettings =
                UsageErrors.parse(
                        spec,
                        "--window",
                        () ->
                                new AnalyzeSettings(
                                        window, AnalyzeSettings.DEFAULT_GRACE, EMIT_INTERVAL));
        PrintWriter out = spec.commandLine().getOut();
        try (PipelineConnection pipeline = PipelineConnection.open(kafka, registryOptions, true)) {
            Interruption interruption = pipeline.stopOnInterrupt(RESULTS_TIMEOUT.plusSeconds(10));
            try {
                return run(pipeline, runId, analyzeSettings, interruption, out);
            } finally {
                interruption.finished();
            }
        }
    }

    private int run(
            PipelineConnection pipeline,
            String runId,
            AnalyzeSettings analyzeSettings,
            Interruption interruption,
            PrintWriter out)
            throws Exception {
        Topics topics = pipeline.topics();
        try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
            new TopicSetup(admin, Optional.empty()).ensure(topics.specs());
        }
        publishRules(pipeline);
        Path stateDir = Files.createTempDirectory("loadstream-streams-");
        try {
            return run(pipeline, runId, analyzeSettings, interruption, out, stateDir);
        } finally {
            Utils.delete(stateDir.toFile());
        }
    }

    private int run(
            PipelineConnection pipeline,
            String runId,
            AnalyzeSettings analyzeSettings,
            Interruption interruption,
            PrintWriter out,
            Path stateDir)
            throws Exception {
        Topics topics = pipeline.topics();
        TargetConfig targetConfig = demoTarget();
        try (AnalyzeApp analyze =
                        new AnalyzeApp(
                                pipeline.clientConfig(),
                                "loadstream-demo",
                                2,
                                stateDir,
                                analyzeSettings,
                                pipeline.serdes(),
                                topics);
                LiveWindowView view =
                        new LiveWindowView(
                                        pipeline.clientConfig(),
                                        pipeline.serdes(),
                                        topics.windowStats(),
                                        runId,
                                        analyzeSettings.window().toMillis())
                                .start()) {
            RunClock clock = RunClock.system();
            Readiness readiness =
                    new Readiness(
                            clock.nanos(),
                            Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()));
            // the analyze application's first rebalance needs no generator, and the generator's
            // connections and warm-up need no analyze: they get ready side by side, and the run's
            // time 0 waits for both, so that neither start-up shows in the results
            readiness.alongside("analyze", () -> startAndAwaitRunning(analyze));
            try (TargetServer target =
                            TargetServer.start(
                                    targetConfig, "127.0.0.1", 0, clock.wall().millis());
                    Publisher publisher =
                            readiness.get(
                                    "kafka",
                                    () ->
                                            Publishers.open(
                                                    pipeline.clientConfig(),
                                                    pipeline.serdes(),
                                                    topics,
                                                    PublishMode.EVENTS,
                                                    TimingPublisher.DEFAULT_BUFFER_EVENTS,
                                                    clock.wall()))) {
                Console.info(
                        "Run "
                                + runId
                                + ": "
                                + rate
                                + " req/s for "
                                + duration.toSeconds()
                                + " s"
                                + (warmup.isZero()
                                        ? ""
                                        : " after a warm-up of "
                                                + warmup.toSeconds()
                                                + " s (not in the results)")
                                + " against the demo target at "
                                + target.baseUrl());
                targetConfig.faults().forEach(f -> Console.info("  fault: " + f.describe()));
                GeneratorRun generatorRun =
                        new GeneratorRun(
                                        demoPlan(targetConfig, target),
                                        LoadShare.ALL,
                                        runId,
                                        "demo-generator",
                                        publisher,
                                        Optional.empty(),
                                        clock)
                                .withReadiness(readiness, WarmUp.DEFAULT);
                AtomicReference<String> status = new AtomicReference<>("starting");
                GeneratorRun.Report report;
                try (AlertEcho alerts =
                        AlertEcho.start(
                                pipeline.clientConfig(), pipeline.serdes(), topics, runId)) {
                    try (LiveDisplay display =
                            new LiveDisplay(view, status::get, out, System.console() != null)
                                    .start()) {
                        report =
                                generatorRun.run(
                                        interruption::requested, Console::info, status::set);
                    }
                    Console.info(status.get());
                    if (report.result().stoppedEarly()) {
                        Console.info("Stopped early; summarising what was sent.");
                    }
                    int exitCode = summarise(pipeline, runId, report, out);
                    printVerdict(pipeline, runId, out);
                    return exitCode;
                }
            }
        }
    }

    /** Publishes the demo's rules (rules/demo.yaml), which judge the demo target's faults. */
    private static void publishRules(PipelineConnection pipeline) throws java.io.IOException {
        List<ThresholdRule> rules;
        try (var in = DemoCommand.class.getResourceAsStream("/" + DEMO_RULES)) {
            if (in == null) {
                throw new IllegalStateException(DEMO_RULES + " is missing from the build");
            }
            rules =
                    RulesLoader.parse(
                            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                            DEMO_RULES);
        }
        try (RuleWriter writer =
                RuleWriter.open(
                        pipeline.clientConfig(), pipeline.serdes(), pipeline.topics().rules())) {
            writer.write(rules);
        }
        Console.info(
                "Rules: "
                        + rules.stream().map(ThresholdRule::getRuleId).toList()
                        + " from "
                        + DEMO_RULES);
    }

    /** The verdict {@code loadstream check} gives the run, with the rules' table. */
    private static void printVerdict(PipelineConnection pipeline, String runId, PrintWriter out) {
        try {
            List<RuleVerdict> verdicts =
                    new RunCheckReader(
                                    pipeline.clientConfig(), pipeline.serdes(), pipeline.topics())
                            .judge(runId, RESULTS_TIMEOUT);
            out.println();
            new CheckReport(runId, verdicts, AlertLevel.CRITICAL).printTable(out);
        } catch (RunCheckReader.IncompleteRunException e) {
            Console.warn("no verdict: " + e.getMessage());
        }
    }

    private int summarise(
            PipelineConnection pipeline, String runId, GeneratorRun.Report report, PrintWriter out)
            throws java.io.IOException {
        RunSummaries summaries =
                new RunSummaryReader(
                                pipeline.clientConfig(),
                                pipeline.serdes(),
                                pipeline.topics().runSummaries())
                        .awaitCounted(runId, report.acknowledged(), RESULTS_TIMEOUT);
        if (summaries.accountedFor() < report.acknowledged()) {
            Console.warn(
                    "after "
                            + RESULTS_TIMEOUT.toSeconds()
                            + " s the run summaries account for "
                            + summaries.accountedFor()
                            + " (warm-up included) of the "
                            + report.acknowledged()
                            + " acknowledged events");
        }
        RunSummaryReport summary =
                new RunSummaryReport(
                        summaries,
                        new GeneratorCounts(
                                report.events(),
                                report.acknowledged(),
                                report.failed(),
                                report.dropped()));
        out.println();
        out.print(summary.text());
        out.flush();
        if (summaryJson != null) {
            summary.writeJson(summaryJson);
            Console.info("Summary written to " + summaryJson);
        }
        return summaries.accountedFor() == report.acknowledged() && report.failed() == 0 ? 0 : 1;
    }

    /** Fails now rather than after the run when --summary-json names a missing directory. */
    private void checkSummaryDirectory() {
        if (summaryJson == null) {
            return;
        }
        Path directory = summaryJson.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException(
                    "--summary-json "
                            + summaryJson
                            + ": directory "
                            + directory
                            + " does not exist");
        }
    }

    /** The demo target of targets/demo.yaml, read from the jar. */
    private static TargetConfig demoTarget() throws java.io.IOException {
        try (var in = DemoCommand.class.getResourceAsStream("/targets/demo.yaml")) {
            if (in == null) {
                throw new IllegalStateException("targets/demo.yaml is missing from the build");
            }
            return TargetConfig.parse(
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    "targets/demo.yaml");
        }
    }

    /** Constant-rate GETs of the demo target's endpoints, in turn. */
    private LoadPlan demoPlan(TargetConfig config, TargetServer target) {
        return LoadPlan.forTarget(
                        "demo",
                        config,
                        target.baseUrl(),
                        rate,
                        duration,
                        HttpClientSettings.defaults().withMaxConnections(200))
                .withWarmup(warmup);
    }

    /** Starts the analyze application and waits until its tasks are assigned and running. */
    private static void startAndAwaitRunning(AnalyzeApp analyze) {
        analyze.start();
        KafkaStreams streams = analyze.streams();
        long deadline = System.nanoTime() + ANALYZE_START_TIMEOUT.toNanos();
        try {
            while (streams.state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()) {
                    throw new IllegalStateException(
                            "the analyze application did not start within "
                                    + ANALYZE_START_TIMEOUT.toSeconds()
                                    + " s (state "
                                    + streams.state()
                                    + ")");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the analyze application started", e);
        }
    }
}
