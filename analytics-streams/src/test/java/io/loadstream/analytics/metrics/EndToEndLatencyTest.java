package io.loadstream.analytics.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class EndToEndLatencyTest {

    @Test
    void shouldReturnOnlyTheValuesSinceThePreviousTake() {
        EndToEndLatency latency = new EndToEndLatency();
        latency.record(10);
        latency.record(20);

        Histogram first = latency.takeInterval();
        latency.record(500);
        Histogram second = latency.takeInterval();
        Histogram third = latency.takeInterval();

        assertThat(first.getTotalCount()).isEqualTo(2);
        assertThat(first.getMaxValue()).isEqualTo(20);
        assertThat(second.getTotalCount()).isEqualTo(1);
        assertThat(second.getValueAtPercentile(50)).isEqualTo(500);
        assertThat(third.getTotalCount()).isZero();
    }

    @Test
    void shouldClampValuesAboveOneHourAndBelowZero() {
        EndToEndLatency latency = new EndToEndLatency();
        latency.record(10 * EndToEndLatency.HIGHEST_TRACKABLE_MS);
        latency.record(-5);

        Histogram interval = latency.takeInterval();

        assertThat(interval.getTotalCount()).isEqualTo(2);
        assertThat(interval.getMinValue()).isZero();
        assertThat(
                        interval.valuesAreEquivalent(
                                interval.getMaxValue(), EndToEndLatency.HIGHEST_TRACKABLE_MS))
                .isTrue();
    }

    @Test
    void shouldLoseNoValueRecordedConcurrentlyWithTakes() throws InterruptedException {
        EndToEndLatency latency = new EndToEndLatency();
        int threads = 4;
        int perThread = 10_000;
        List<Thread> recorders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread recorder =
                    new Thread(
                            () -> {
                                for (int i = 0; i < perThread; i++) {
                                    latency.record(i % 1000);
                                }
                            });
            recorder.start();
            recorders.add(recorder);
        }
        long taken = 0;
        while (recorders.stream().anyMatch(Thread::isAlive)) {
            taken += latency.takeInterval().getTotalCount();
        }
        for (Thread recorder : recorders) {
            recorder.join();
        }
        taken += latency.takeInterval().getTotalCount();

        assertThat(taken).isEqualTo((long) threads * perThread);
    }
}
