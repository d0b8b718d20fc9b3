package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.Outcome;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestOutcomesTest {

    @Test
    void shouldFindNothingWrongWhenARequestSucceeded() {
        assertThat(
                        RequestOutcomes.noRequestSucceeded(
                                outcomes(Outcome.SUCCESS, 2, Outcome.TIMEOUT, 1)))
                .isEmpty();
    }

    @Test
    void shouldNameEveryOutcomeWhenNoRequestSucceeded() {
        assertThat(
                        RequestOutcomes.noRequestSucceeded(
                                outcomes(Outcome.HTTP_ERROR, 2, Outcome.TIMEOUT, 1)))
                .hasValue("none of the 3 requests succeeded (2 HTTP_ERROR, 1 TIMEOUT)");
    }

    @Test
    void shouldPointAtTheTargetWhenEveryConnectionFailed() {
        assertThat(RequestOutcomes.noRequestSucceeded(outcomes(Outcome.CONNECT_ERROR, 2)))
                .hasValue(
                        "none of the 2 requests succeeded (2 CONNECT_ERROR): is the target"
                                + " running, and is --target-url right?");
    }

    @Test
    void shouldFindNothingWrongWithARunWithoutRequests() {
        assertThat(RequestOutcomes.noRequestSucceeded(new EnumMap<>(Outcome.class))).isEmpty();
    }

    /** Counts by outcome, every outcome present as in a generator's report. */
    private static Map<Outcome, Long> outcomes(Object... outcomeAndCount) {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0L);
        }
        for (int i = 0; i < outcomeAndCount.length; i += 2) {
            counts.put(
                    (Outcome) outcomeAndCount[i], ((Integer) outcomeAndCount[i + 1]).longValue());
        }
        return counts;
    }
}
