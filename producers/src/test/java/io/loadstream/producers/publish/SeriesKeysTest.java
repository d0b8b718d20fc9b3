package io.loadstream.producers.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** A series' key is built and serialized once, and is always the key a new one would be. */
class SeriesKeysTest {

    private final List<SeriesKey> serialized = new ArrayList<>();
    private final Serializer<SeriesKey> counting =
            (topic, key) -> {
                serialized.add(key);
                return (topic + "/" + key).getBytes(StandardCharsets.UTF_8);
            };
    private final SeriesKeys keys = new SeriesKeys();
    private final RepeatedKeySerializer serializer = new RepeatedKeySerializer(counting);

    @Test
    void shouldBuildAndSerializeTheKeyOfASeriesOnce() {
        String[] endpoints = {"home", "search", "checkout"};
        for (int i = 0; i < 3_000; i++) {
            RequestTiming timing = timing("run-1", endpoints[i % 3]);
            SeriesKey key = keys.of(timing);

            assertThat(key)
                    .isEqualTo(new SeriesKey("run-1", "synthetic", endpoints[i % 3], "gen-1"));
            assertThat(serializer.serialize("timings", key))
                    .isEqualTo(("timings/" + key).getBytes(StandardCharsets.UTF_8));
        }

        assertThat(serialized).hasSize(3);
    }

    @Test
    void shouldGiveANewKeyWhenAnyLabelOfTheSeriesChanges() {
        SeriesKey first = keys.of(timing("run-1", "home"));
        byte[] firstBytes = serializer.serialize("timings", first);

        SeriesKey second = keys.of(timing(new String("run-2"), "home"));

        assertThat(second).isEqualTo(new SeriesKey("run-2", "synthetic", "home", "gen-1"));
        assertThat(serializer.serialize("timings", second)).isNotEqualTo(firstBytes);
        // an equal label in another instance is the same series
        assertThat(keys.of(timing(new String("run-2"), new String("home")))).isSameAs(second);
    }

    @Test
    void shouldSerializeAgainForAnotherTopic() {
        SeriesKey key = keys.of(timing("run-1", "home"));

        serializer.serialize("timings", key);
        byte[] other = serializer.serialize("other", key);

        assertThat(other).isEqualTo(("other/" + key).getBytes(StandardCharsets.UTF_8));
        assertThat(serialized).hasSize(2);
    }

    private static RequestTiming timing(String runId, String endpoint) {
        RequestTiming timing = new RequestTiming();
        timing.setRunId(runId);
        timing.setScenario("synthetic");
        timing.setEndpoint(endpoint);
        timing.setGeneratorId("gen-1");
        timing.setOutcome(Outcome.SUCCESS);
        timing.setTags(Map.of());
        return timing;
    }
}
