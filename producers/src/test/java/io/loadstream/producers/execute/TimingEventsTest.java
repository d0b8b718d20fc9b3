package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Events are built with setters for speed; they must equal what Avro's builder makes (which fills
 * defaults and checks that every field is set), so a field added to the schema is not left unset.
 */
class TimingEventsTest {

    private static final long START_US = 1_700_000_000_000_000L;
    private final TimingEvents events =
            new TimingEvents(
                    "run-1", "checkout", "gen-1", List.of("a", "b"), Map.of("k", "v"), START_US);

    @Test
    void shouldBuildACompletedEventAsAvrosBuilderDoes() {
        DriverResponse response =
                new DriverResponse(Outcome.HTTP_ERROR, 503, 4_200_999, 120, 64, "HTTP 503");

        RequestTiming built = events.completed(1, 2_000_000, 3_500_000, response);

        assertThat(built)
                .isEqualTo(
                        builder(1, 2_000, 3_500)
                                .setLatencyUs(4_200)
                                .setOutcome(Outcome.HTTP_ERROR)
                                .setStatusCode(503)
                                .setBytesSent(120)
                                .setBytesReceived(64)
                                .setError("HTTP 503")
                                .build());
    }

    @Test
    void shouldBuildADroppedEventAsAvrosBuilderDoes() {
        RequestTiming built = events.dropped(0, 1_000, 9_000, "max in flight 10 reached");

        assertThat(built)
                .isEqualTo(
                        builder(0, 1, 9)
                                .setLatencyUs(0L)
                                .setOutcome(Outcome.DROPPED)
                                .setStatusCode(0)
                                .setBytesSent(0L)
                                .setBytesReceived(0L)
                                .setError("max in flight 10 reached")
                                .build());
    }

    private static RequestTiming.Builder builder(int endpoint, long intendedUs, long actualUs) {
        return RequestTiming.newBuilder()
                .setRunId("run-1")
                .setScenario("checkout")
                .setEndpoint(endpoint == 0 ? "a" : "b")
                .setGeneratorId("gen-1")
                .setIntendedSendTimeUs(START_US + intendedUs)
                .setActualSendTimeUs(START_US + actualUs)
                .setTags(Map.of("k", "v"));
    }
}
