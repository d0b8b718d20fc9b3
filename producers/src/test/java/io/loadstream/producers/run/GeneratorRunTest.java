package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.producers.metrics.MetricsAddress;
import io.loadstream.producers.scenario.StopCondition;
import io.loadstream.producers.synthetic.LatencyProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class GeneratorRunTest {

    private static final Instant ORIGIN = Instant.parse("2024-05-01T12:00:00.000123Z");
    private static final long ORIGIN_US = 1_714_564_800_000_123L;

    /** A monotonic clock that only the waiter moves: a run takes no real time. */
    private final long[] nanos = {7_000_000_000L};

    private final RunClock clock =
            new RunClock(
                    Clock.fixed(ORIGIN, ZoneOffset.UTC),
                    () -> nanos[0],
                    deadline -> nanos[0] = Math.max(nanos[0], deadline));
    private final List<String> notes = new ArrayList<>();
    private final List<String> status = new ArrayList<>();

    @Test
    void shouldReportTheCountsThePublisherHadOnceFinished() {
        InMemoryPublisher publisher = new InMemoryPublisher(10);

        GeneratorRun.Report report =
                run(synthetic("a,b,c", 100, Duration.ofSeconds(3)), publisher, () -> false);

        assertThat(publisher.events).hasSize(300);
        assertThat(report.result().started()).isEqualTo(300);
        assertThat(report.result().stoppedEarly()).isFalse();
        assertThat(report.events()).isEqualTo(300);
        assertThat(report.acknowledged()).isEqualTo(270);
        assertThat(report.failed()).isEqualTo(30);
        assertThat(report.dropped()).isZero();
        assertThat(report.firstFailure()).contains("TestException: refused");
        assertThat(report.breakingPoint()).isEmpty();
        assertThat(publisher.finishedWithin).isEqualTo(GeneratorRun.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(status).noneMatch(line -> line.contains("hutdown timeout"));
    }

    @Test
    void shouldGiveThePublisherTheShutdownTimeoutAndSayWhatKafkaLeftUnacknowledged() {
        InMemoryPublisher publisher = new InMemoryPublisher(0);
        publisher.unanswered = 40;

        GeneratorRun.Report report =
                new GeneratorRun(
                                synthetic("a", 100, Duration.ofSeconds(2)),
                                LoadShare.ALL,
                                "run-1",
                                "gen-1",
                                publisher,
                                Optional.empty(),
                                clock,
                                Duration.ofSeconds(7))
                        .run(() -> false, notes::add, status::add);

        assertThat(publisher.finishedWithin).isEqualTo(Duration.ofSeconds(7));
        assertThat(report.events()).isEqualTo(200);
        assertThat(report.acknowledged() + report.failed() + report.dropped()).isEqualTo(200);
        assertThat(status.get(status.size() - 1))
                .isEqualTo(
                        "Shutdown timeout of 7 s passed: 40 events not acknowledged by Kafka are"
                                + " counted as failed or dropped.");
    }

    @Test
    void shouldTimeEventsFromTheWallClockAndFillEveryField() {
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        run(synthetic("a,b,c", 100, Duration.ofSeconds(1)), publisher, () -> false);

        List<RequestTiming> events = publisher.events;
        assertThat(events).hasSize(100);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getIntendedSendTimeUs()).isEqualTo(ORIGIN_US + i * 10_000L);
            assertThat(events.get(i).getActualSendTimeUs()).isEqualTo(ORIGIN_US + i * 10_000L);
        }
        assertThat(events.subList(0, 7))
                .extracting(RequestTiming::getEndpoint)
                .containsExactly("a", "b", "c", "a", "b", "c", "a");
        assertThat(events)
                .allSatisfy(
                        event -> {
                            assertThat(event.getRunId()).isEqualTo("run-1");
                            assertThat(event.getScenario()).isEqualTo("synthetic");
                            assertThat(event.getGeneratorId()).isEqualTo("gen-1");
                            assertThat(event.getOutcome()).isEqualTo(Outcome.SUCCESS);
                            assertThat(event.getStatusCode()).isEqualTo(200);
                            assertThat(event.getLatencyUs()).isPositive();
                            assertThat(event.getBytesSent()).isZero();
                            assertThat(event.getBytesReceived()).isZero();
                            assertThat(event.getError()).isNull();
                            assertThat(event.getTags()).isEmpty();
                        });
    }

    @Test
    void shouldRunTheWarmupFirstAtTheStartingRateAndMarkItsEvents() {
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        GeneratorRun.Report report =
                run(
                        synthetic("a,b", 100, Duration.ofSeconds(2))
                                .withWarmup(Duration.ofSeconds(1)),
                        publisher,
                        () -> false);

        List<RequestTiming> events = publisher.events;
        assertThat(events).hasSize(300);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getIntendedSendTimeUs()).isEqualTo(ORIGIN_US + i * 10_000L);
            assertThat(events.get(i).getWarmup()).as("event %d", i).isEqualTo(i < 100);
        }
        assertThat(report.warmup()).isEqualTo(100);
        assertThat(report.events()).isEqualTo(300);
        assertThat(status.get(0)).startsWith("warm-up 1s/3s");
        assertThat(status.get(status.size() - 1)).startsWith("3s/3s");
    }

    @Test
    void shouldMarkNoEventOfARunWithoutWarmup() {
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        GeneratorRun.Report report =
                run(synthetic("a", 50, Duration.ofSeconds(1)), publisher, () -> false);

        assertThat(publisher.events).hasSize(50).noneMatch(RequestTiming::getWarmup);
        assertThat(report.warmup()).isZero();
    }

    @Test
    void shouldTickThePublisherAndReportAStatusLineOncePerSecond() {
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        run(synthetic("a", 100, Duration.ofSeconds(3)), publisher, () -> false);

        assertThat(publisher.ticks).isEqualTo(3);
        assertThat(status).hasSize(3);
        assertThat(status.get(0))
                .startsWith("1s/3s  rate 100/100 req/s  in-flight 0")
                .contains("(5s)", "errors 0", "in memory");
        assertThat(status.get(2)).startsWith("3s/3s");
    }

    @Test
    void shouldNotTakeTheWarmupForTheBreakingPoint() {
        InMemoryPublisher publisher = new InMemoryPublisher(0);
        LoadPlan failing =
                synthetic("a:10ms/50ms/50%", 100, Duration.ofSeconds(60))
                        .withStopCondition(new StopCondition(0.1, null, Duration.ofSeconds(2)))
                        .withWarmup(Duration.ofSeconds(3));

        GeneratorRun.Report report = run(failing, publisher, () -> false);

        assertThat(report.breakingPoint())
                .hasValueSatisfying(point -> assertThat(point).startsWith("at 100 req/s after 4s"));
        assertThat(report.warmup()).isEqualTo(300);
    }

    @Test
    void shouldStopAtTheBreakingPointOnceTheStopConditionIsPassed() {
        InMemoryPublisher publisher = new InMemoryPublisher(0);
        LoadPlan failing =
                synthetic("a:10ms/50ms/50%", 100, Duration.ofSeconds(60))
                        .withStopCondition(new StopCondition(0.1, null, Duration.ofSeconds(2)));

        GeneratorRun.Report report = run(failing, publisher, () -> false);

        assertThat(report.breakingPoint())
                .hasValueSatisfying(
                        point ->
                                assertThat(point)
                                        .startsWith("at 100 req/s after 1s: error rate")
                                        .endsWith("passed 10.00%"));
        assertThat(report.result().stoppedEarly()).isTrue();
        assertThat(report.result().started()).isEqualTo(100);
        assertThat(report.events()).isEqualTo(100);
        assertThat(status.get(0)).contains("(2s)");
    }

    @Test
    void shouldStopWhenAskedWithoutABreakingPoint() {
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        GeneratorRun.Report report =
                run(
                        synthetic("a", 100, Duration.ofSeconds(60)),
                        publisher,
                        () -> publisher.sent() >= 150);

        assertThat(report.result().stoppedEarly()).isTrue();
        assertThat(report.result().started()).isEqualTo(150);
        assertThat(report.acknowledged()).isEqualTo(150);
        assertThat(report.breakingPoint()).isEmpty();
    }

    @Test
    void shouldSayWhereItServesItsMetrics() {
        GeneratorRun run =
                new GeneratorRun(
                        synthetic("a", 10, Duration.ofSeconds(1)),
                        LoadShare.ALL,
                        "run-1",
                        "gen-1",
                        new InMemoryPublisher(0),
                        Optional.of(new MetricsAddress("127.0.0.1", 0)),
                        clock);

        run.run(() -> false, notes::add, status::add);

        assertThat(notes.get(0)).matches("Metrics at http://127\\.0\\.0\\.1:[1-9][0-9]*/metrics");
    }

    @Test
    void shouldRunOnlyOnce() {
        GeneratorRun run = generatorRun(synthetic("a", 10, Duration.ofSeconds(1)));
        run.run(() -> false, notes::add, status::add);

        assertThatThrownBy(() -> run.run(() -> false, notes::add, status::add))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRefuseBlankIds() {
        LoadPlan plan = synthetic("a", 10, Duration.ofSeconds(1));
        InMemoryPublisher publisher = new InMemoryPublisher(0);

        assertThatThrownBy(
                        () ->
                                new GeneratorRun(
                                        plan,
                                        LoadShare.ALL,
                                        " ",
                                        "gen-1",
                                        publisher,
                                        Optional.empty(),
                                        clock))
                .hasMessage("run id must not be empty");
        assertThatThrownBy(
                        () ->
                                new GeneratorRun(
                                        plan,
                                        LoadShare.ALL,
                                        "run-1",
                                        "",
                                        publisher,
                                        Optional.empty(),
                                        clock))
                .hasMessage("generator id must not be empty");
    }

    private GeneratorRun.Report run(
            LoadPlan plan, InMemoryPublisher publisher, BooleanSupplier stop) {
        return new GeneratorRun(
                        plan, LoadShare.ALL, "run-1", "gen-1", publisher, Optional.empty(), clock)
                .run(stop, notes::add, status::add);
    }

    private GeneratorRun generatorRun(LoadPlan plan) {
        return new GeneratorRun(
                plan,
                LoadShare.ALL,
                "run-1",
                "gen-1",
                new InMemoryPublisher(0),
                Optional.empty(),
                clock);
    }

    private static LoadPlan synthetic(String endpoints, double rate, Duration duration) {
        return LoadPlan.synthetic(
                "synthetic", LatencyProfile.parseList(endpoints), rate, duration, 11);
    }
}
