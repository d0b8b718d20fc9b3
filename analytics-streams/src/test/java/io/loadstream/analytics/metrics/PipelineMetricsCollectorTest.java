package io.loadstream.analytics.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.avro.PipelineMetric;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class PipelineMetricsCollectorTest {

    private final AtomicLong clockMs = new AtomicLong(1_000_000);
    private final Map<MetricName, Metric> streamsMetrics = new HashMap<>();
    private final Map<String, Long> lag = new LinkedHashMap<>();
    private final Map<String, Long> deadLetters = new LinkedHashMap<>();
    private final EndToEndLatency latency = new EndToEndLatency();
    private final PipelineMetricsCollector collector =
            new PipelineMetricsCollector(
                    "host-1",
                    () -> streamsMetrics,
                    () -> lag,
                    latency,
                    () -> deadLetters,
                    clockMs::get);

    @Test
    void shouldComputeTheRateFromTheProcessTotalOfEveryStreamThread() {
        setProcessTotal("thread-1", 100);
        setProcessTotal("thread-2", 50);
        // a task-level metric of the same name is not counted twice
        streamsMetrics.put(
                new MetricName(
                        "process-total", "stream-task-metrics", "", Map.of("task-id", "0_0")),
                new FakeMetric(1_000_000.0));
        clockMs.addAndGet(5_000);

        PipelineMetric rate = byName(collector.collect()).get("records-processed-rate");

        assertThat(rate.getValue()).isEqualTo(30.0);
        assertThat(rate.getUnit()).isEqualTo("records/s");
        assertThat(rate.getComponent()).isEqualTo("analyze");
        assertThat(rate.getInstance()).isEqualTo("host-1");
        assertThat(rate.getTimestampMs()).isEqualTo(1_005_000);
    }

    @Test
    void shouldRateOnlyWhatWasProcessedSinceThePreviousRound() {
        setProcessTotal("thread-1", 100);
        clockMs.addAndGet(1_000);
        collector.collect();

        setProcessTotal("thread-1", 300);
        clockMs.addAndGet(2_000);
        PipelineMetric rate = byName(collector.collect()).get("records-processed-rate");

        assertThat(rate.getValue()).isEqualTo(100.0);
        assertThat(rate.getAttributes()).containsEntry("records", "200");
    }

    @Test
    void shouldNotReportANegativeRateWhenAThreadIsReplaced() {
        setProcessTotal("thread-1", 100);
        clockMs.addAndGet(1_000);
        collector.collect();

        streamsMetrics.clear();
        setProcessTotal("thread-2", 10);
        clockMs.addAndGet(1_000);

        assertThat(byName(collector.collect()).get("records-processed-rate").getValue()).isZero();
    }

    @Test
    void shouldPublishTheLagOfEachTopicUnderAKeyOfItsOwn() {
        lag.put("timings", 42L);
        lag.put("histograms", 0L);

        Map<String, PipelineMetric> metrics = byName(collector.collect());

        assertThat(metrics.get("consumer-lag:timings").getValue()).isEqualTo(42.0);
        assertThat(metrics.get("consumer-lag:timings").getAttributes())
                .containsEntry("topic", "timings");
        assertThat(metrics.get("consumer-lag:histograms").getValue()).isZero();
    }

    @Test
    void shouldPublishLatencyPercentilesOfTheIntervalOnlyWhenValuesWereRecorded() {
        for (int ms = 1; ms <= 1000; ms++) {
            latency.record(ms);
        }

        PipelineMetric first = byName(collector.collect()).get("end-to-end-latency");
        Map<String, PipelineMetric> second = byName(collector.collect());

        assertThat(first.getValue()).isEqualTo(990.0);
        assertThat(first.getUnit()).isEqualTo("ms");
        assertThat(first.getAttributes())
                .containsEntry("p50", "500")
                .containsEntry("p90", "900")
                .containsEntry("p99", "990")
                .containsEntry("p999", "999")
                .containsEntry("max", "1000")
                .containsEntry("count", "1000");
        assertThat(second).doesNotContainKey("end-to-end-latency");
    }

    @Test
    void shouldPublishTheDeadLetterTotalWithTheCountOfEachReason() {
        deadLetters.put("unreadable", 3L);
        deadLetters.put("late", 4L);
        deadLetters.put("missing-field", 0L);

        PipelineMetric metric = byName(collector.collect()).get("dead-letters");

        assertThat(metric.getValue()).isEqualTo(7.0);
        assertThat(metric.getAttributes())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("unreadable", "3", "late", "4", "missing-field", "0"));
    }

    @Test
    void shouldTakeNoLatencyFromTheNextRoundWhenTheLagCannotBeRead() {
        latency.record(7);
        PipelineMetricsCollector failing =
                new PipelineMetricsCollector(
                        "host-1",
                        () -> streamsMetrics,
                        () -> {
                            throw new IllegalStateException("cluster away");
                        },
                        latency,
                        () -> deadLetters,
                        clockMs::get);

        assertThatThrownBy(failing::collect).hasMessage("cluster away");
        assertThat(byName(collector.collect()).get("end-to-end-latency").getValue()).isEqualTo(7.0);
    }

    private void setProcessTotal(String thread, double total) {
        streamsMetrics.put(
                new MetricName(
                        "process-total", "stream-thread-metrics", "", Map.of("thread-id", thread)),
                new FakeMetric(total));
    }

    private static Map<String, PipelineMetric> byName(List<PipelineMetric> metrics) {
        return metrics.stream()
                .collect(Collectors.toMap(PipelineMetric::getMetric, Function.identity()));
    }

    private record FakeMetric(Object metricValue) implements Metric {
        @Override
        public MetricName metricName() {
            throw new UnsupportedOperationException();
        }
    }
}
