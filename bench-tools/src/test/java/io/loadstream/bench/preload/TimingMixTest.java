package io.loadstream.bench.preload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.loadstream.avro.RequestTiming;
import io.loadstream.producers.synthetic.LatencyProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TimingMixTest {

    private static final long END_US = 1_700_000_000_000_000L;

    private static List<RequestTiming> all(TimingMix mix) {
        List<RequestTiming> timings = new ArrayList<>();
        while (mix.hasNext()) {
            timings.add(mix.next());
        }
        return timings;
    }

    @Test
    void shouldGiveTheHotEndpointItsShareAndEveryGeneratorItsTurn() {
        List<RequestTiming> timings =
                all(
                        new TimingMix(
                                "r",
                                "s",
                                4,
                                LatencyProfile.parseList("hot,b,c"),
                                0.8,
                                1_000,
                                100_000,
                                END_US,
                                7));

        Map<String, Long> byEndpoint =
                timings.stream()
                        .collect(
                                Collectors.groupingBy(
                                        RequestTiming::getEndpoint, Collectors.counting()));
        assertThat(byEndpoint.get("hot") / 100_000.0).isCloseTo(0.8, within(0.01));
        assertThat(byEndpoint.get("b") / 100_000.0).isCloseTo(0.1, within(0.01));
        assertThat(
                        timings.stream()
                                .collect(
                                        Collectors.groupingBy(
                                                RequestTiming::getGeneratorId,
                                                Collectors.counting())))
                .containsOnly(
                        Map.entry("gen-1", 25_000L),
                        Map.entry("gen-2", 25_000L),
                        Map.entry("gen-3", 25_000L),
                        Map.entry("gen-4", 25_000L));
    }

    @Test
    void shouldSpreadIntendedTimesEvenlyAtTheRateEndingAtTheEnd() {
        List<RequestTiming> timings =
                all(
                        new TimingMix(
                                "r",
                                "s",
                                2,
                                LatencyProfile.parseList("a,b"),
                                0.5,
                                4_000,
                                4_001,
                                END_US,
                                7));

        assertThat(timings.get(0).getIntendedSendTimeUs()).isEqualTo(END_US - 1_000_000);
        assertThat(timings.get(4_000).getIntendedSendTimeUs()).isEqualTo(END_US);
        assertThat(timings.get(1).getIntendedSendTimeUs() - timings.get(0).getIntendedSendTimeUs())
                .isEqualTo(250);
        assertThat(timings)
                .allSatisfy(
                        t ->
                                assertThat(t.getActualSendTimeUs() - t.getIntendedSendTimeUs())
                                        .isBetween(0L, 99L));
    }

    @Test
    void shouldMakeTheSameEventsFromTheSameSeed() {
        Function<Long, List<RequestTiming>> run =
                seed ->
                        all(
                                new TimingMix(
                                        "r",
                                        "s",
                                        3,
                                        LatencyProfile.parseList("a:1ms/5ms/1%,b"),
                                        0.8,
                                        100,
                                        1_000,
                                        END_US,
                                        seed));

        assertThat(run.apply(3L)).isEqualTo(run.apply(3L)).isNotEqualTo(run.apply(4L));
    }
}
