package io.loadstream.cli;

import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.producers.generate.Generator;
import io.loadstream.producers.generate.GeneratorSettings;
import io.loadstream.producers.generate.LatencyProfile;
import io.loadstream.producers.generate.SyntheticDriver;
import io.loadstream.producers.generate.TimingPublisher;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.TopicSetup;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadstream generate}: a synthetic load generator. Makes requests to simulated endpoints at
 * a constant arrival rate and writes one {@code RequestTiming} per request to the timings topic of
 * an existing cluster.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Generates synthetic load and publishes one RequestTiming event per request to the"
                    + " timings topic. Requests start at a constant rate whatever the responses"
                    + " do (an open model), go to the endpoints in turn, and are answered by a"
                    + " simulation of each endpoint's latency and errors; every event carries"
                    + " both the intended and the actual send time.",
            "Needs a running cluster (--bootstrap-servers); creates the timings topic if it is"
                    + " missing. Run several generators with one --run-id and different"
                    + " --generator-id values to share a run. Ctrl-C stops early and still"
                    + " reports.",
            "Events wait in a bounded buffer (and the producer) while Kafka is slow or away, and"
                    + " are delivered when it returns; the schedule never waits for Kafka. Events"
                    + " beyond the buffer are dropped and counted.",
            "Exit status: 0 when the broker acknowledged every event, 1 when some failed or were"
                    + " dropped."
        })
final class GenerateCommand implements Callable<Integer> {

    /** Endpoints of a run that names none: a fast page, a search, a slow and flaky checkout. */
    static final String DEFAULT_ENDPOINTS =
            "home:5ms/25ms/0.1%,search:30ms/200ms/0.5%,checkout:80ms/600ms/2%";

    /** How long Ctrl-C waits for the run to stop, send what is pending and report. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);

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
            paramLabel = "NAME",
            defaultValue = "synthetic",
            description = "Scenario name (default: ${DEFAULT-VALUE}).")
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
                    "Requests per second over all endpoints together, decimals allowed"
                            + " (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "How long to generate load, for example 500ms, 30s, 2m or 1m30s"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration duration;

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

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        // bad options fail before anything connects
        GeneratorSettings settings =
                new GeneratorSettings(
                        runId != null
                                ? runId
                                : "run-" + UUID.randomUUID().toString().substring(0, 8),
                        scenario,
                        generatorId != null ? generatorId : defaultGeneratorId(),
                        LatencyProfile.parseList(endpoints),
                        rate,
                        duration,
                        seed != null ? seed : ThreadLocalRandom.current().nextLong());
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        try (PipelineConnection pipeline = PipelineConnection.open(kafka, registryOptions, false)) {
            // Ctrl-C: stop generating, then let the run send what is pending and report
            pipeline.onInterrupt(
                    () -> {
                        stop.set(true);
                        awaitQuietly(finished);
                    });
            try {
                return run(pipeline, settings, stop);
            } finally {
                finished.countDown();
            }
        }
    }

    private int run(PipelineConnection pipeline, GeneratorSettings settings, AtomicBoolean stop) {
        Topic<SeriesKey, RequestTiming> timings = pipeline.topics().timings();
        ensureTopic(pipeline, timings);
        Console.info(
                String.format(
                        "Run %s, generator %s: %s req/s for %s over %s to %s (seed %d)",
                        settings.runId(),
                        settings.generatorId(),
                        BigDecimal.valueOf(settings.rate()).stripTrailingZeros().toPlainString(),
                        seconds(settings.duration()),
                        String.join(
                                ", ",
                                settings.endpoints().stream()
                                        .map(LatencyProfile::endpoint)
                                        .toList()),
                        timings.name(),
                        settings.seed()));
        Generator.Result result;
        TimingPublisher publisher = pipeline.timingPublisher();
        try (publisher) {
            Generator generator =
                    new Generator(
                            settings,
                            new SyntheticDriver(settings.endpoints(), settings.seed()),
                            publisher,
                            System::nanoTime,
                            epochMicrosNow());
            result =
                    generator.run(
                            stop::get, progress -> Console.info(progressLine(progress, publisher)));
        }
        if (result.stoppedEarly()) {
            Console.info("Stopped early, after " + seconds(result.elapsed()) + ".");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("run-id " + settings.runId());
        out.println("sent " + publisher.sent());
        out.println("acknowledged " + publisher.acknowledged());
        out.println("failed " + publisher.failed());
        out.println("dropped " + publisher.dropped());
        publisher.firstFailure().ifPresent(failure -> out.println("first-failure " + failure));
        out.flush();
        return publisher.failed() == 0 && publisher.dropped() == 0 ? 0 : 1;
    }

    /**
     * Creates the timings topic when it is missing: a producer writing to a missing topic on a
     * cluster that does not create topics would block on every send.
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

    private static String progressLine(Generator.Progress progress, TimingPublisher publisher) {
        // whole seconds, unless the run itself is not
        ChronoUnit precision =
                progress.total().toMillis() % 1000 == 0 ? ChronoUnit.SECONDS : ChronoUnit.MILLIS;
        return String.format(
                "elapsed %s / %s  sent %d  acked %d  waiting for Kafka %d  failed %d  dropped %d",
                seconds(progress.elapsed().truncatedTo(precision)),
                seconds(progress.total()),
                progress.sent(),
                publisher.acknowledged(),
                publisher.pending(),
                publisher.failed(),
                publisher.dropped());
    }

    /** {@code 12s}, or {@code 0.5s} when a duration is not whole seconds. */
    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0
                ? millis / 1000 + "s"
                : BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }

    private static long epochMicrosNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static String defaultGeneratorId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static void awaitQuietly(CountDownLatch finished) {
        try {
            if (!finished.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                Console.warn("the run did not finish within " + seconds(STOP_TIMEOUT));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
