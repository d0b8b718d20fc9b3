package io.loadstream.cli;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.consumers.alerts.RunAbortWatch;
import io.loadstream.producers.http.HttpClientSettings;
import io.loadstream.producers.metrics.MetricsAddress;
import io.loadstream.producers.publish.PublishMode;
import io.loadstream.producers.publish.Publisher;
import io.loadstream.producers.publish.Publishers;
import io.loadstream.producers.publish.TimingPublisher;
import io.loadstream.producers.rules.RuleWriter;
import io.loadstream.producers.run.GeneratorRun;
import io.loadstream.producers.run.LoadPlan;
import io.loadstream.producers.run.LoadShare;
import io.loadstream.producers.run.Readiness;
import io.loadstream.producers.run.RunClock;
import io.loadstream.producers.run.WarmUp;
import io.loadstream.producers.scenario.InvalidFieldException;
import io.loadstream.producers.scenario.Scenario;
import io.loadstream.producers.scenario.ScenarioLoader;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.TopicSetup;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadstream generate}: one load generator. Runs a scenario file with real HTTP requests, or
 * simulated endpoints at a constant rate, and publishes its timing events to Kafka.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Generates load and publishes one timing event per request to Kafka. Every event"
                    + " carries both the intended and the actual send time, so that latency can"
                    + " be corrected for coordinated omission.",
            "With --scenario FILE (a scenario file, see scenarios/): real HTTP requests to the"
                    + " file's endpoints, picked by their weights, on the file's executor:"
                    + " constant-arrival-rate or ramping-arrival-rate (an open model: requests"
                    + " start on schedule whatever the responses do; those beyond maxInFlight"
                    + " are published as DROPPED and counted), or constant-vus or ramping-vus"
                    + " (a closed model: each virtual user waits for its answer, with optional"
                    + " pacing). A file with stopWhen stops at the breaking point and reports"
                    + " it. The file's thresholds are published to the rules topic as rules"
                    + " (ids scenario:<name>:<metric>) before the run starts, for analyze to"
                    + " judge. --target-url fills in $${target}; --rate, --duration, --endpoints"
                    + " and --seed do not apply.",
            "--warmup DURATION (or warmup: in a scenario file) runs a warm-up before the"
                    + " schedule, at its starting rate or users: its requests are published with a"
                    + " warm-up mark, and analyze keeps them out of windows and run summaries and"
                    + " counts them apart.",
            "Without a scenario file: synthetic endpoints (--endpoints) answered at once by a"
                    + " simulation of their latency and errors, called in turn at a constant"
                    + " --rate for --duration; --scenario then only names the run's scenario.",
            "--publish events sends one RequestTiming per request to the timings topic through"
                    + " an idempotent acks=all producer: events wait in a bounded buffer"
                    + " (--buffer) while Kafka is slow or away and are delivered when it"
                    + " returns, the schedule never waits for Kafka, and events beyond the"
                    + " buffer are dropped and counted. --publish histograms sends one"
                    + " IntervalHistogram per endpoint and second to the histograms topic.",
            "Needs a running cluster (--bootstrap-servers); creates the topic it writes to if it is"
                + " missing. To share a run, give every generator the same --run-id and its own"
                + " --generator-id, and --instances N with --instance-index I (0 to N-1): each runs"
                + " its share of the rate or virtual users. Shows a status line per second, then"
                + " prints the run id and the requests, sent, acknowledged, failed, dropped and"
                + " warm-up counts. Ctrl-C stops early and still reports.",
            "Exit status: 0 when the broker acknowledged every event; 1 when some failed or were"
                    + " dropped, when no request succeeded (a target that refuses every"
                    + " connection), when --abort-on stopped the run, or on an error; 2 when"
                    + " the command line is wrong."
        })
final class GenerateCommand implements Callable<Integer> {

    /** Endpoints of a run that names none: a fast page, a search, a slow and flaky checkout. */
    static final String DEFAULT_ENDPOINTS =
            "home:5ms/25ms/0.1%,search:30ms/200ms/0.5%,checkout:80ms/600ms/2%";

    /** How much longer than --shutdown-timeout Ctrl-C waits for the run to report. */
    private static final Duration REPORT_MARGIN = Duration.ofSeconds(10);

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registryOptions;

    @Option(
            names = "--run-id",
            paramLabel = "ID",
            description =
                    "Test run the events belong to; give every generator of a run the same id"
                            + " (default: run- and 8 random hex digits).")
    String runId;

    @Option(
            names = "--scenario",
            paramLabel = "FILE|NAME",
            defaultValue = "synthetic",
            description =
                    "A scenario file (see scenarios/, for example scenarios/load-steady.yaml): HTTP"
                            + " requests to its endpoints with its executor. Otherwise the name"
                            + " of a synthetic run, whose simulated --endpoints are answered at"
                            + " --rate for --duration (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(
            names = "--endpoints",
            paramLabel = "SPEC[,SPEC...]",
            defaultValue = DEFAULT_ENDPOINTS,
            description = {
                "Simulated endpoints, comma-separated, each name:median/p99/errors: a log-normal"
                        + " latency with that median and 99th percentile (units us, ms or s,"
                        + " decimals allowed) and an error rate as a percentage or a fraction"
                        + " (2%% or 0.02). Errors may be left out (none), and so may the"
                        + " latencies (median 20ms, p99 100ms): search:30ms/200ms, home, login:1%%."
                        + " Of the errors, 3 in 4 are HTTP 500 and 1 in 4 timeouts at 3 x p99.",
                "Default: ${DEFAULT-VALUE}"
            })
    String endpoints;

    @Option(
            names = "--rate",
            paramLabel = "REQ/S",
            defaultValue = "100",
            description =
                    "Synthetic endpoints: requests per second over all endpoints together,"
                            + " decimals allowed (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "Synthetic endpoints: how long to generate load, for example 500ms, 30s, 2m"
                            + " or 1m30s (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--warmup",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "A warm-up before the schedule, at its starting rate or users, for example 10s:"
                            + " its requests are sent and published marked as warm-up, and kept"
                            + " out of results. Replaces a scenario file's warmup (default: the"
                            + " file's, or none).")
    Duration warmup;

    @Option(
            names = "--generator-id",
            paramLabel = "ID",
            description = "This generator, unique within the run (default: <hostname>-<pid>).")
    String generatorId;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description =
                    "Seed of the simulated responses: the same seed, endpoints and rate give the"
                            + " same latencies and errors (default: random, printed at the start).")
    Long seed;

    @Option(
            names = "--target-url",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8080",
            description = "Value of $${target} in scenario files (default: ${DEFAULT-VALUE}).")
    String targetUrl;

    @Option(
            names = "--instances",
            paramLabel = "N",
            defaultValue = "1",
            description =
                    "Generators sharing this run: each runs its share of the rate or users, and"
                            + " analyze closes the run once that many have sent their end"
                            + " markers (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(
            names = "--instance-index",
            paramLabel = "I",
            defaultValue = "0",
            description =
                    "This generator's index among --instances, from 0 (default: ${DEFAULT-VALUE}).")
    int instanceIndex;

    @Option(
            names = "--publish",
            paramLabel = "MODE",
            defaultValue = "events",
            description =
                    "events: one RequestTiming per request to timings; histograms: one"
                            + " IntervalHistogram per endpoint and second to histograms"
                            + " (default: ${DEFAULT-VALUE}).")
    String publish;

    @Option(
            names = "--buffer",
            paramLabel = "EVENTS",
            defaultValue = "" + TimingPublisher.DEFAULT_BUFFER_EVENTS,
            description =
                    "--publish events: events that may wait for Kafka while it is slow or away"
                            + " before new ones are dropped and counted (default:"
                            + " ${DEFAULT-VALUE}).")
    int buffer;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            defaultValue = "64",
            description = "Scenario files: HTTP connections per host (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(
            names = "--shutdown-timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description =
                    "Once the run is done or stopped (Ctrl-C): how long to wait for the requests in"
                            + " flight and for Kafka to acknowledge what is pending; what it has"
                            + " not acknowledged then is counted as failed or dropped (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Option(
            names = "--no-target-warmup",
            description =
                    "Send the target nothing before the run: no connections opened in advance. By"
                            + " default, before the run's time 0 the generator opens"
                            + " --max-connections connections to each host (sending that many"
                            + " requests). Either way it then makes 10,000 unrecorded calls (for"
                            + " at most 3 s) to a local stand-in of the target, which compile the"
                            + " request, timing and publishing code; none is published or"
                            + " counted.")
    boolean noTargetWarmup;

    @Option(
            names = "--abort-on",
            paramLabel = "LEVEL",
            converter = AlertsCommand.LevelConverter.class,
            description =
                    "Stop the run when one of its alerts fires at this level or above (critical,"
                            + " or warning for both), as analyze writes them to the alerts topic:"
                            + " the run ends as when its duration ends, end markers included,"
                            + " says which rule fired, and the exit status is 1.")
    AlertLevel abortOn;

    @Mixin MetricsOptions metrics;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        // bad options and files fail before anything connects
        LoadShare share =
                UsageErrors.parse(
                        spec, "--instances", () -> new LoadShare(instances, instanceIndex));
        PublishMode mode = UsageErrors.parse(spec, "--publish", () -> PublishMode.parse(publish));
        Scenario file = scenarioFile();
        LoadPlan plan = plan(file);
        List<ThresholdRule> rules = file == null ? List.of() : file.rules("scenario " + scenario);
        if (shutdownTimeout.isNegative()) {
            throw UsageErrors.usageError(
                    spec, "--shutdown-timeout must not be negative, not " + shutdownTimeout);
        }
        Optional<MetricsAddress> metricsAddress = metrics.checkedAddress(spec);
        String run = runId != null ? runId : "run-" + UUID.randomUUID().toString().substring(0, 8);
        String generator = generatorId != null ? generatorId : defaultGeneratorId();
        RunClock clock = RunClock.system();
        Readiness readiness =
                new Readiness(
                        clock.nanos(),
                        Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()));
        try (PipelineConnection pipeline = PipelineConnection.open(kafka, registryOptions, false)) {
            // Ctrl-C: stop generating, then let the run send what is pending and report
            Interruption interruption =
                    pipeline.stopOnInterrupt(shutdownTimeout.plus(REPORT_MARGIN));
            try (Publisher publisher = openPublisher(pipeline, mode, clock, readiness);
                    RunAbortWatch abortWatch = watchAlerts(pipeline, run)) {
                publishRules(pipeline, rules, readiness);
                Console.info(
                        String.format(
                                "Run %s, generator %s (%d of %d): %s",
                                run,
                                generator,
                                share.index() + 1,
                                share.instances(),
                                plan.summary()));
                GeneratorRun generatorRun =
                        new GeneratorRun(
                                        plan,
                                        share,
                                        run,
                                        generator,
                                        publisher,
                                        metricsAddress,
                                        clock,
                                        shutdownTimeout)
                                .withReadiness(
                                        readiness,
                                        noTargetWarmup
                                                ? WarmUp.DEFAULT.localOnly()
                                                : WarmUp.DEFAULT);
                BooleanSupplier stop =
                        abortWatch == null
                                ? interruption::requested
                                : () -> interruption.requested() || abortWatch.fired().isPresent();
                GeneratorRun.Report report = generatorRun.run(stop, Console::info);
                Optional<Alert> aborted =
                        abortWatch == null ? Optional.empty() : abortWatch.fired();
                return report(run, report, aborted);
            } finally {
                interruption.finished();
            }
        }
    }

    /** The scenario file that --scenario names, or null when it names a synthetic run. */
    private Scenario scenarioFile() {
        return isScenarioFile(scenario)
                ? ScenarioLoader.load(Path.of(scenario), Map.of("target", targetUrl))
                : null;
    }

    /** The plan of the options and scenario file, with --warmup if given. */
    private LoadPlan plan(Scenario file) {
        LoadPlan plan = planWithoutOverride(file);
        if (warmup == null) {
            return plan;
        }
        return UsageErrors.parse(spec, "--warmup", () -> withWarmup(plan, warmup));
    }

    private static LoadPlan withWarmup(LoadPlan plan, Duration warmup) {
        try {
            return plan.withWarmup(warmup);
        } catch (InvalidFieldException e) {
            throw new IllegalArgumentException(e.reason(), e);
        }
    }

    /** The scenario file's plan, or the synthetic one of the options. */
    private LoadPlan planWithoutOverride(Scenario file) {
        if (file != null) {
            return LoadPlan.fromScenario(
                    file, HttpClientSettings.defaults().withMaxConnections(maxConnections));
        }
        if (!(rate > 0)) {
            throw UsageErrors.usageError(spec, "--rate must be positive, not " + rate);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw UsageErrors.usageError(spec, "--duration must be positive, not " + duration);
        }
        List<LatencyProfile> profiles =
                UsageErrors.parse(spec, "--endpoints", () -> LatencyProfile.parseList(endpoints));
        long seedValue = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        return LoadPlan.synthetic(scenario, profiles, rate, duration, seedValue);
    }

    /** The publisher, with its schemas registered and its topic's metadata fetched, timed. */
    private Publisher openPublisher(
            PipelineConnection pipeline, PublishMode mode, RunClock clock, Readiness readiness) {
        Topic<?, ?> topic = mode.topic(pipeline.topics());
        readiness.run("schemas", () -> pipeline.serdes().registerSchemas(topic));
        return readiness.get(
                "kafka",
                () -> {
                    ensureTopic(pipeline, topic);
                    return Publishers.open(
                            pipeline.clientConfig(),
                            pipeline.serdes(),
                            pipeline.topics(),
                            mode,
                            buffer,
                            clock.wall());
                });
    }

    /**
     * Publishes the scenario's thresholds as rules before the run's time 0, so that analyze judges
     * the run against them from its first window; a scenario without thresholds publishes none.
     */
    private static void publishRules(
            PipelineConnection pipeline, List<ThresholdRule> rules, Readiness readiness) {
        if (rules.isEmpty()) {
            return;
        }
        readiness.run(
                "rules",
                () -> {
                    try (RuleWriter writer =
                            RuleWriter.open(
                                    pipeline.clientConfig(),
                                    pipeline.serdes(),
                                    pipeline.topics().rules())) {
                        writer.write(rules);
                    }
                });
        Console.info(
                "Published the scenario's thresholds to "
                        + pipeline.topics().rules().name()
                        + " as "
                        + rules.size()
                        + " rules: "
                        + String.join(", ", rules.stream().map(ThresholdRule::getRuleId).toList()));
    }

    /**
     * With {@code --abort-on}, a watch of the alerts topic for the run's alerts, from its end as it
     * is before the run starts; otherwise null.
     */
    private RunAbortWatch watchAlerts(PipelineConnection pipeline, String run) {
        if (abortOn == null) {
            return null;
        }
        ensureTopic(pipeline, pipeline.topics().alerts());
        return RunAbortWatch.start(
                pipeline.clientConfig(),
                pipeline.serdes(),
                pipeline.topics().alerts(),
                run,
                abortOn);
    }

    private int report(String run, GeneratorRun.Report report, Optional<Alert> aborted) {
        if (report.result().stoppedEarly() && report.breakingPoint().isEmpty()) {
            Console.info("Stopped early, after " + seconds(report.result().elapsed()) + ".");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("run-id " + run);
        out.println("requests " + report.result().started());
        out.println("schedule-dropped " + report.result().dropped());
        out.println("sent " + report.events());
        out.println("acknowledged " + report.acknowledged());
        out.println("failed " + report.failed());
        out.println("dropped " + report.dropped());
        out.println("warmup " + report.warmup());
        report.breakingPoint().ifPresent(point -> out.println("breaking-point " + point));
        report.firstFailure().ifPresent(failure -> out.println("first-failure " + failure));
        aborted.ifPresent(
                alert -> out.println("aborted-by " + alert.getRuleId() + " " + alert.getLevel()));
        out.flush();
        if (aborted.isPresent()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: run stopped: " + RunAbortWatch.reason(aborted.get()));
            err.flush();
            return ExitCodes.FAILURE;
        }
        Optional<String> noneSucceeded = RequestOutcomes.noRequestSucceeded(report.outcomes());
        if (noneSucceeded.isPresent()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + noneSucceeded.get());
            err.flush();
            return ExitCodes.FAILURE;
        }
        return report.failed() == 0 && report.dropped() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** Whether {@code --scenario} names a scenario file rather than a scenario. */
    private static boolean isScenarioFile(String scenario) {
        return scenario.endsWith(".yaml")
                || scenario.endsWith(".yml")
                || Files.isRegularFile(Path.of(scenario));
    }

    /**
     * Creates the topic when it is missing: a producer writing to a missing topic on a cluster that
     * does not create topics would block on every send.
     */
    private static void ensureTopic(PipelineConnection pipeline, Topic<?, ?> topic) {
        try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
            TopicSetup.Result setup =
                    new TopicSetup(admin, Optional.empty()).ensure(List.of(topic.spec()));
            if (!setup.created().isEmpty()) {
                Console.info("Created topic " + topic.name());
            }
        }
    }

    /** {@code 12s}, or {@code 0.5s} when a duration is not whole seconds. */
    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0
                ? millis / 1000 + "s"
                : BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }

    private static String defaultGeneratorId() {
        return LocalHost.name() + "-" + ProcessHandle.current().pid();
    }
}
