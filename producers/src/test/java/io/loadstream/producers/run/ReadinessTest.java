package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    void shouldRunAStepAlongsideTheOthersAndCountItOnlyForTheTimeItWasWaitedFor() {
        // each thread reads its own clock, so that the test decides what each step took
        Thread main = Thread.currentThread();
        long[] mainClock = {0};
        long[] otherClock = {0};
        Readiness readiness =
                new Readiness(() -> Thread.currentThread() == main ? mainClock[0] : otherClock[0]);
        CountDownLatch warmedUp = new CountDownLatch(1);

        // the step alongside can only finish once the warm-up has run: in turn, this would hang
        readiness.alongside(
                "analyze",
                () -> {
                    awaitOrFail(warmedUp);
                    otherClock[0] = 3_000_000_000L;
                });
        readiness.run(
                "warm-up",
                () -> {
                    mainClock[0] = 1_000_000_000L;
                    warmedUp.countDown();
                });
        readiness.awaitAlongside();

        assertThat(readiness.steps())
                .extracting(Readiness.Step::name)
                .containsExactly("warm-up", "analyze");
        // analyze took 3 s beside the warm-up, and was not waited for on the main clock
        assertThat(readiness.total()).isEqualTo(Duration.ofSeconds(1));
        assertThat(readiness.line())
                .isEqualTo("ready in 1.0 s: warm-up 1.0 s, analyze 3.0 s (alongside)");
    }

    @Test
    void shouldFailWithTheExceptionOfAStepAlongside() {
        Readiness readiness = new Readiness(() -> nanos[0]);
        readiness.alongside(
                "analyze",
                () -> {
                    throw new IllegalStateException("the analyze application did not start");
                });

        assertThatThrownBy(readiness::awaitAlongside)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the analyze application did not start");
    }

    private static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the other step did not run meanwhile");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
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
