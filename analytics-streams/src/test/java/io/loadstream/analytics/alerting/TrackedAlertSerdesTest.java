package io.loadstream.analytics.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertState;
import io.loadstream.avro.Comparator;
import io.loadstream.schemas.rules.RuleLevels;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackedAlertSerdesTest {

    @Test
    void shouldReadBackAStateThatGoesOnWhereItWas() {
        AlertConditions conditions =
                new AlertConditions(
                        new RuleLevels(Comparator.ABOVE, null, 100.0, 100.0), 3000, 0, 1);
        AlertStateMachine machine = new AlertStateMachine();
        machine.judge(conditions, new JudgedWindow(0, 1000, 10, 150));
        TrackedAlert tracked = new TrackedAlert(machine, null, 42);

        byte[] bytes = TrackedAlertSerdes.values().serializer().serialize("t", tracked);
        TrackedAlert read = TrackedAlertSerdes.values().deserializer().deserialize("t", bytes);

        assertThat(read.runEndedAtMs()).isEqualTo(42);
        assertThat(read.machine().state()).isEqualTo(AlertState.PENDING);
        // breach seen at 1 s: the window ending at 4 s completes 'for' in the restored state too
        assertThat(read.machine().judge(conditions, new JudgedWindow(2000, 3000, 10, 150)))
                .isEmpty();
        assertThat(read.machine().judge(conditions, new JudgedWindow(3000, 4000, 10, 150)))
                .map(AlertTransition::sequence)
                .contains(2L);
    }

    @Test
    void shouldReadBackWhatIsKeptOfTheLastAlert() {
        LastAlert last =
                new LastAlert(
                        AlertState.FIRING,
                        "p99",
                        1000,
                        5000,
                        Map.of("team", "checkout", "tier", "1"),
                        Map.of("summary", "p99 über 500 ms"));
        TrackedAlert tracked = new TrackedAlert(new AlertStateMachine(), last, 0);

        byte[] bytes = TrackedAlertSerdes.values().serializer().serialize("t", tracked);

        assertThat(TrackedAlertSerdes.values().deserializer().deserialize("t", bytes).last())
                .isEqualTo(last);
    }

    @Test
    void shouldReadBackTheKey() {
        AlertKey key = new AlertKey("r", "run", "scenario", "endpoint");
        byte[] bytes = TrackedAlertSerdes.keys().serializer().serialize("t", key);

        assertThat(TrackedAlertSerdes.keys().deserializer().deserialize("t", bytes)).isEqualTo(key);
    }

    @Test
    void shouldRefuseAStateInAnUnknownFormat() {
        assertThatThrownBy(
                        () ->
                                TrackedAlertSerdes.values()
                                        .deserializer()
                                        .deserialize("t", new byte[] {9, 0, 0}))
                .hasMessageContaining("unknown format 9");
    }
}
