package io.loadstream.bench.analyzed;

import io.loadstream.analytics.AnalyzeApp;
import io.loadstream.analytics.metrics.ConsumerGroupLag;
import io.loadstream.bench.BenchConnection;
import io.loadstream.cli.DurationConverter;
import io.loadstream.cli.LoadstreamCommand;
import io.loadstream.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Waits until {@code analyze} has processed a pre-loaded run and says how fast it did: done is when
 * its consumer group (the application id) has no lag left on the timings topic and the run's
 * summaries on {@code run-summaries} count every event. Elapsed time is counted from {@code
 * --start-ms}, when the caller launched {@code analyze}, so it includes its start-up and the wait
 * for the last summaries (emitted every {@code --emit-interval}). The steady rate leaves both out:
 * the events committed between the first commit of offsets seen and the moment lag reached 0, over
 * that time.
 *
 * <p>Results go to standard output as {@code name value} lines: {@code analyzed}, {@code
 * elapsed-ms}, {@code rate}, {@code lag-zero-ms}, {@code first-commit-ms}, {@code steady-rate}.
 * Fails if the wait passes {@code --timeout}, or if the summaries count more events than were
 * loaded.
 */
@Command(
        name = "await-analyzed",
        mixinStandardHelpOptions = true,
        description = "Waits until analyze has counted every event of a run; prints its rate.")
public final class AwaitAnalyzed implements Callable<Integer> {

    private static final long PROGRESS_EVERY_MS = 5_000;

    @Mixin BenchConnection connection;

    @Option(
            names = "--application-id",
            paramLabel = "ID",
            defaultValue = AnalyzeApp.DEFAULT_APPLICATION_ID,
            description =
                    "analyze's application id, its consumer group (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(
            names = "--run-id",
            paramLabel = "ID",
            required = true,
            description = "The pre-loaded run.")
    String runId;

    @Option(
            names = "--events",
            paramLabel = "N",
            required = true,
            description = "Events of the run.")
    long events;

    @Option(
            names = "--start-ms",
            paramLabel = "EPOCH_MS",
            required = true,
            description = "When analyze was launched, milliseconds since the epoch.")
    long startMs;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30m",
            converter = DurationConverter.class,
            description = "Longest wait, from --start-ms (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--poll-interval",
            paramLabel = "DURATION",
            defaultValue = "100ms",
            converter = DurationConverter.class,
            description = "How often lag and summaries are checked (default: ${DEFAULT-VALUE}).")
    Duration pollInterval;

    private long firstCommitMs = -1;
    private long committedAtFirstCommit;
    private long lagZeroMs = -1;

    public static void main(String[] args) {
        System.exit(LoadstreamCommand.commandLine(new AwaitAnalyzed()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException, ExecutionException {
        Topics topics = connection.topics();
        try (Admin admin = Admin.create(connection.clientConfig().admin());
                RunSummaryTail summaries =
                        new RunSummaryTail(
                                connection.clientConfig(),
                                connection.serdes(),
                                topics.runSummaries(),
                                runId)) {
            String timings = topics.timings().name();
            ConsumerGroupLag group =
                    new ConsumerGroupLag(
                            admin, applicationId, List.of(timings), Duration.ofSeconds(10));
            long nextProgress = System.currentTimeMillis() + PROGRESS_EVERY_MS;
            while (true) {
                // the topic holds the pre-loaded events and nothing else
                Lag lag = new Lag(events - group.byTopic().get(timings), events);
                noteMilestones(lag);
                summaries.poll(pollInterval);
                long counted = summaries.count();
                long now = System.currentTimeMillis();
                if (lag.lag() == 0 && counted == events) {
                    report(now);
                    return 0;
                }
                checkNotFailed(lag, counted, now);
                if (now >= nextProgress) {
                    nextProgress += PROGRESS_EVERY_MS;
                    System.err.printf(
                            "await: %.0f s, committed %d of %d, summaries count %d (%d"
                                    + " endpoints)%n",
                            (now - startMs) / 1e3,
                            lag.committed(),
                            lag.end(),
                            counted,
                            summaries.endpoints());
                }
            }
        }
    }

    /** Committed and end offsets of the timings topic, summed over its partitions. */
    private record Lag(long committed, long end) {
        long lag() {
            return end - committed;
        }
    }

    /** Notes when offsets were first committed and when lag first reached 0. */
    private void noteMilestones(Lag lag) {
        long now = System.currentTimeMillis();
        if (firstCommitMs < 0 && lag.committed() > 0) {
            firstCommitMs = now;
            committedAtFirstCommit = lag.committed();
        }
        if (lagZeroMs < 0 && lag.lag() == 0) {
            lagZeroMs = now;
        }
    }

    /** Fails on events counted twice, or when the wait has passed the timeout. */
    private void checkNotFailed(Lag lag, long counted, long now) {
        if (counted > events) {
            throw new IllegalStateException(
                    "run summaries count " + counted + " events of " + events + " loaded");
        }
        if (now - startMs > timeout.toMillis()) {
            throw new IllegalStateException(
                    String.format(
                            "analyze did not finish within %s: lag %d of %d, run summaries count"
                                    + " %d of %d",
                            timeout, lag.lag(), lag.end(), counted, events));
        }
    }

    private void report(long doneMs) {
        long elapsed = doneMs - startMs;
        System.out.println("analyzed " + events);
        System.out.println("elapsed-ms " + elapsed);
        System.out.printf("rate %.0f%n", events * 1000.0 / elapsed);
        System.out.println("lag-zero-ms " + (lagZeroMs - startMs));
        System.out.println("first-commit-ms " + (firstCommitMs - startMs));
        if (lagZeroMs > firstCommitMs && events > committedAtFirstCommit) {
            System.out.printf(
                    "steady-rate %.0f%n",
                    (events - committedAtFirstCommit) * 1000.0 / (lagZeroMs - firstCommitMs));
        } else {
            System.out.println("steady-rate n/a");
        }
    }
}
