package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.producers.publish.PublishMode;
import io.loadstream.producers.publish.Publisher;
import io.loadstream.producers.publish.Publishers;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.testing.BrokerProcessPipeline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A generator whose broker is killed ({@code kill -9}) and never comes back still reports within
 * its shutdown timeout, and its counts add up: every event it made is acknowledged, failed or
 * dropped, and it says in one line what Kafka left unacknowledged. Once when the run is stopped as
 * Ctrl-C stops it, once when its schedule ends.
 */
class GeneratorShutdownIT {

    private static final int RATE = 500;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);

    /**
     * How much longer than the shutdown timeout reporting may take: the producer's forced close and
     * a busy machine, far less than the minutes a wait for the producer's delivery timeout takes.
     */
    private static final Duration MARGIN = Duration.ofSeconds(20);

    private final List<String> status = new CopyOnWriteArrayList<>();

    @Test
    void shouldAccountForEveryEventWhenStoppedWhileTheBrokerIsGone() throws Exception {
        try (BrokerProcessPipeline pipeline = BrokerProcessPipeline.start();
                Publisher publisher = open(pipeline)) {
            AtomicBoolean ctrlC = new AtomicBoolean();
            CompletableFuture<GeneratorRun.Report> running =
                    start(publisher, Duration.ofSeconds(60), ctrlC);
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.acknowledged() >= RATE);
            pipeline.broker().kill();
            long sentAtKill = publisher.sent();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> publisher.sent() >= sentAtKill + RATE * 2);

            ctrlC.set(true);
            long stopped = System.nanoTime();
            GeneratorRun.Report report =
                    running.get(SHUTDOWN_TIMEOUT.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);

            print("stopped", report, System.nanoTime() - stopped);
            assertCountsAddUpWithLosses(report);
            assertThat(report.result().stoppedEarly()).isTrue();
        }
    }

    @Test
    void shouldAccountForEveryEventWhenTheBrokerNeverComesBack() throws Exception {
        Duration duration = Duration.ofSeconds(4);
        try (BrokerProcessPipeline pipeline = BrokerProcessPipeline.start();
                Publisher publisher = open(pipeline)) {
            long started = System.nanoTime();
            CompletableFuture<GeneratorRun.Report> running =
                    start(publisher, duration, new AtomicBoolean());
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.acknowledged() >= RATE);
            pipeline.broker().kill();

            GeneratorRun.Report report =
                    running.get(
                            duration.plus(SHUTDOWN_TIMEOUT).plus(MARGIN).toMillis(),
                            TimeUnit.MILLISECONDS);

            print("schedule done", report, System.nanoTime() - started);
            assertCountsAddUpWithLosses(report);
            assertThat(report.result().stoppedEarly()).isFalse();
            assertThat(report.events()).isEqualTo(RATE * duration.toSeconds());
        }
    }

    private void assertCountsAddUpWithLosses(GeneratorRun.Report report) {
        assertThat(report.events()).isEqualTo(report.result().started());
        assertThat(report.acknowledged() + report.failed() + report.dropped())
                .isEqualTo(report.events());
        assertThat(report.acknowledged()).isGreaterThanOrEqualTo(RATE);
        assertThat(report.failed() + report.dropped()).isGreaterThanOrEqualTo(RATE * 2);
        assertThat(status)
                .anyMatch(
                        line ->
                                line.startsWith("Shutdown timeout of 3 s passed: ")
                                        && line.contains(" events not acknowledged by Kafka"));
    }

    private static Publisher open(BrokerProcessPipeline pipeline) {
        RunClock clock = RunClock.system();
        return Publishers.open(
                pipeline.clientConfig(),
                pipeline.serdes(),
                pipeline.newTopics(),
                PublishMode.EVENTS,
                20_000,
                clock.wall());
    }

    private CompletableFuture<GeneratorRun.Report> start(
            Publisher publisher, Duration duration, AtomicBoolean stop) {
        GeneratorRun run =
                new GeneratorRun(
                        LoadPlan.synthetic(
                                "shutdown",
                                List.of(LatencyProfile.parse("api:2ms/10ms")),
                                RATE,
                                duration,
                                7),
                        LoadShare.ALL,
                        "shutdown-run",
                        "gen-1",
                        publisher,
                        Optional.empty(),
                        RunClock.system(),
                        SHUTDOWN_TIMEOUT);
        return CompletableFuture.supplyAsync(() -> run.run(stop::get, status::add));
    }

    private void print(String how, GeneratorRun.Report report, long nanos) {
        System.out.printf(
                "%s: sent %d, acknowledged %d, failed %d, dropped %d, reported after %d ms; %s%n",
                how,
                report.events(),
                report.acknowledged(),
                report.failed(),
                report.dropped(),
                nanos / 1_000_000,
                status.get(status.size() - 1));
    }
}
