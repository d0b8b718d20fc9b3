package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import io.loadstream.producers.publish.PublishMode;
import io.loadstream.producers.publish.Publisher;
import io.loadstream.producers.publish.Publishers;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.schemas.topic.Topics;
import io.loadstream.testing.BrokerProcessPipeline;
import io.loadstream.testing.CommittedRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The broker's process is killed ({@code kill -9}) in the middle of a run and started again on the
 * same ports and data, as a supervisor would restart a crashed broker. The generator keeps its
 * schedule through the outage: the events on {@code timings} have intended send times spaced
 * exactly at the configured rate from the first to the last, with no gap where the broker was away,
 * were sent on time (a generator that waited for Kafka would have sent the outage's requests late,
 * or dropped them), and every acknowledged event is on the topic exactly once.
 */
class KafkaOutageIT {

    private static final int RATE = 400;
    private static final long PERIOD_US = 1_000_000 / RATE;
    private static final Duration DURATION = Duration.ofSeconds(16);
    private static final Duration OUTAGE = Duration.ofSeconds(3);

    @Test
    void shouldKeepTheRateThroughABrokerKilledAndRestarted() throws Exception {
        try (BrokerProcessPipeline pipeline = BrokerProcessPipeline.start()) {
            Topics topics = pipeline.newTopics();
            RunClock clock = RunClock.system();
            // opening registers the schemas and the serializers cache their ids: the registry,
            // whose data is on the broker, is not asked again while the broker is away
            Publisher publisher =
                    Publishers.open(
                            pipeline.clientConfig(),
                            pipeline.serdes(),
                            topics,
                            PublishMode.EVENTS,
                            20_000,
                            clock.wall());
            GeneratorRun.Report report;
            long killedUs;
            long restartedUs;
            long pendingDuringOutage;
            try (publisher) {
                LoadPlan plan =
                        LoadPlan.synthetic(
                                "outage",
                                List.of(LatencyProfile.parse("api:2ms/10ms")),
                                RATE,
                                DURATION,
                                42);
                GeneratorRun run =
                        new GeneratorRun(
                                plan,
                                LoadShare.ALL,
                                "outage-run",
                                "gen-1",
                                publisher,
                                Optional.empty(),
                                clock);
                CompletableFuture<GeneratorRun.Report> running =
                        CompletableFuture.supplyAsync(() -> run.run(() -> false, line -> {}));

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> publisher.acknowledged() >= RATE);
                pipeline.broker().kill();
                killedUs = nowUs();
                long outageEndsUs = killedUs + OUTAGE.toNanos() / 1000;
                // the outage lasts OUTAGE by the wall clock, whatever the generator does meanwhile
                await().atMost(OUTAGE.multipliedBy(2))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> nowUs() >= outageEndsUs);
                pendingDuringOutage = publisher.pending();
                pipeline.broker().restart();
                restartedUs = nowUs();

                report = running.get(60, TimeUnit.SECONDS);
            }

            assertThat(report.failed()).as(report.firstFailure().orElse("")).isZero();
            assertThat(report.dropped()).isZero();
            assertThat(report.events()).isEqualTo(report.result().started());
            assertThat(report.acknowledged()).isEqualTo(report.events());

            List<RequestTiming> landed = landedEvents(pipeline, topics);
            assertThat(landed).hasSize((int) report.acknowledged());
            assertThat(landed).extracting(RequestTiming::getOutcome).containsOnly(Outcome.SUCCESS);
            List<Long> intended =
                    landed.stream().map(RequestTiming::getIntendedSendTimeUs).toList();
            assertThat(intended).doesNotHaveDuplicates();
            List<Long> sorted = intended.stream().sorted().toList();
            long first = sorted.get(0);
            long last = sorted.get(sorted.size() - 1);
            // intended send times at exactly the rate, from the first to the last: no gap
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i) - sorted.get(i - 1))
                        .as("gap after intended send time %d", sorted.get(i - 1))
                        .isEqualTo(PERIOD_US);
            }
            double rate = sorted.size() * 1e6 / (last - first + PERIOD_US);
            assertThat(rate).isEqualTo(RATE);
            // the schedule ran on through the outage (on a slow machine the run may end before the
            // restarted broker serves: what is pending then waits for it)
            assertThat(first).isLessThan(killedUs);
            assertThat(last).isGreaterThanOrEqualTo(killedUs + OUTAGE.toNanos() / 1000);
            // sent on time while the broker was away: a generator that waited for Kafka would have
            // sent these up to the whole outage late
            long outageUs = restartedUs - killedUs;
            assertThat(outageUs).isGreaterThanOrEqualTo(OUTAGE.toNanos() / 1000);
            long maxLagDuringOutage =
                    landed.stream()
                            .filter(e -> e.getIntendedSendTimeUs() >= killedUs)
                            .filter(e -> e.getIntendedSendTimeUs() < restartedUs)
                            .filter(e -> e.getIntendedSendTimeUs() <= last)
                            .mapToLong(e -> e.getActualSendTimeUs() - e.getIntendedSendTimeUs())
                            .max()
                            .orElseThrow();
            System.out.printf(
                    "broker killed for %d ms, %d events pending then; sent %d, acknowledged %d,"
                            + " failed %d, dropped %d; intended rate %.1f/s; on the topic %d; most"
                            + " late while away %d us%n",
                    outageUs / 1000,
                    pendingDuringOutage,
                    report.events(),
                    report.acknowledged(),
                    report.failed(),
                    report.dropped(),
                    rate,
                    landed.size(),
                    maxLagDuringOutage);
            assertThat(maxLagDuringOutage).isLessThan(outageUs / 2);
            // the outage was real: events waited for the broker
            assertThat(pendingDuringOutage).isGreaterThan(RATE * OUTAGE.toSeconds() / 2);
        }
    }

    /** The timing events on the topic, without the generator's run-end markers. */
    private static List<RequestTiming> landedEvents(BrokerProcessPipeline pipeline, Topics topics) {
        try (CommittedRecords<SeriesKey, RequestTiming> timings =
                pipeline.committed(topics.timings())) {
            return timings.readToEnd(Duration.ofSeconds(30)).stream()
                    .map(ConsumerRecord::value)
                    .filter(timing -> !timing.getRunEnd())
                    .toList();
        }
    }

    private static long nowUs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
