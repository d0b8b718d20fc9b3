package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's first command, on the embedded default. */
class DemoCommandIT {

    @Test
    void shouldBringUpLocalPlatformAndRoundTripEvents() {
        TopicsCommandIT.Run run = TopicsCommandIT.run("demo", "--events", "500");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("(local broker, KRaft)");
        assertThat(run.out()).contains("(embedded)");
        assertThat(run.out()).contains("10 created");
        assertThat(run.out())
                .contains("500 RequestTiming events written", "500 read back, all equal");
    }
}
