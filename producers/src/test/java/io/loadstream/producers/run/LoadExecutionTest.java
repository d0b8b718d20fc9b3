package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.producers.execute.ArrivalSchedule;
import io.loadstream.producers.execute.VirtualUserSchedule;
import io.loadstream.producers.scenario.ExecutorSpec;
import io.loadstream.producers.scenario.ExecutorType;
import io.loadstream.producers.scenario.Stage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadExecutionTest {

    @Test
    void shouldSplitArrivalRatesEvenlyBetweenGenerators() {
        ExecutorSpec spec =
                new ExecutorSpec(
                        ExecutorType.CONSTANT_ARRIVAL_RATE,
                        900.0,
                        null,
                        Duration.ofSeconds(10),
                        null,
                        null,
                        null,
                        null);

        ArrivalSchedule third = LoadExecution.arrivalSchedule(spec, new LoadShare(3, 2));

        assertThat(third.requests()).isEqualTo(3_000);
        assertThat(third.intendedOffsetNanos(1)).isEqualTo(3_333_333);
    }

    @Test
    void shouldSplitRampStagesAndUsersBetweenGenerators() {
        ExecutorSpec ramp =
                new ExecutorSpec(
                        ExecutorType.RAMPING_ARRIVAL_RATE,
                        null,
                        0.0,
                        null,
                        List.of(new Stage(Duration.ofSeconds(10), 200.0)),
                        null,
                        null,
                        null);
        ExecutorSpec users =
                new ExecutorSpec(
                        ExecutorType.CONSTANT_VUS,
                        null,
                        null,
                        Duration.ofSeconds(5),
                        null,
                        null,
                        10,
                        null);

        assertThat(LoadExecution.arrivalSchedule(ramp, new LoadShare(2, 0)).requests())
                .isEqualTo(500);
        VirtualUserSchedule first = LoadExecution.userSchedule(users, new LoadShare(4, 0));
        VirtualUserSchedule last = LoadExecution.userSchedule(users, new LoadShare(4, 3));
        assertThat(first.maxUsers()).isEqualTo(3);
        assertThat(last.maxUsers()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAnIndexOutsideTheInstances() {
        assertThatThrownBy(() -> new LoadShare(3, 3))
                .hasMessageContaining("--instance-index must be from 0 to 2");
        assertThatThrownBy(() -> new LoadShare(0, 0))
                .hasMessageContaining("--instances must be at least 1");
    }
}
