package io.loadstream.cli;

import io.loadstream.analytics.AnalyzeApp;
import io.loadstream.analytics.AnalyzeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code loadstream analyze}: the Kafka Streams application that turns timings into results. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the analytics Kafka Streams application (exactly-once): aggregates the timings"
                    + " topic into HdrHistograms per run, scenario, endpoint and tumbling window,"
                    + " and writes WindowStats to window-stats (early updates, then one final"
                    + " record per window) and the whole run so far to run-summaries. Runs until"
                    + " Ctrl-C; start more instances with the same --application-id to share the"
                    + " work."
        })
final class AnalyzeCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka;
    @Mixin RegistryOptions registryOptions;

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
                    "How long after a window's end events are still added to it; later events are"
                            + " counted as late in the run summary (default: ${DEFAULT-VALUE}).")
    Duration grace;

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
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Kafka Streams state directory (default: <tmp>/loadstream-streams).")
    Path stateDir;

    @Override
    public Integer call() throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, not " + threads);
        }
        AnalyzeSettings settings = new AnalyzeSettings(window, grace, emitInterval);
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
                                pipeline.topics())) {
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
                        app.close();
                        stopped.countDown();
                    });
            app.start();
            Console.info(
                    "analyze running as "
                            + applicationId
                            + " on "
                            + pipeline.clientConfig().bootstrapServers()
                            + "; Ctrl-C stops it");
            stopped.await();
            return app.streams().state() == KafkaStreams.State.ERROR ? 1 : 0;
        }
    }
}
