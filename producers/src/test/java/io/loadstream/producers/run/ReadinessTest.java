package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private final long[] nanos = {5_000_000_000L};

    @Test
    void shouldTimeEachStepInTheOrderTheyRanAndSayItInOneLine() {
        Readiness readiness = new Readiness(() -> nanos[0], Duration.ofMillis(2_500));

        readiness.run("kafka", () -> nanos[0] += 400_000_000L);
        String made = readiness.get("schemas", () -> advance(100_000_000L, "registered"));
        readiness.add(
                new Readiness.Step("connections", "64 connections", Duration.ofMillis(200), ""));
        readiness.add(
                new Readiness.Step("warm-up", "warm-up", Duration.ofMillis(1_100), "2,000 calls"));
        nanos[0] += 1_300_000_000L;

        assertThat(made).isEqualTo("registered");
        assertThat(readiness.steps())
                .extracting(Readiness.Step::name)
                .containsExactly("kafka", "schemas", "connections", "warm-up");
        assertThat(readiness.total()).isEqualTo(Duration.ofMillis(1_800));
        assertThat(readiness.line())
                .isEqualTo(
                        "ready in 1.8 s: kafka 0.4 s, schemas 0.1 s, 64 connections 0.2 s,"
                                + " warm-up 1.1 s (2,000 calls); time 0 at 4.3 s after launch");
    }

    @Test
    void shouldSayReadyAtOnceWhenThereWasNothingToDo() {
        assertThat(new Readiness(() -> nanos[0]).line()).isEqualTo("ready in 0.0 s");
    }

    private String advance(long by, String result) {
        nanos[0] += by;
        return result;
    }
}
