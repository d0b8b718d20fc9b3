package io.loadstream.producers.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointChooserTest {

    @Test
    void shouldTakeEqualWeightsInTurn() {
        assertThat(picks(EndpointChooser.roundRobin(3), 7)).containsExactly(0, 1, 2, 0, 1, 2, 0);
        assertThat(picks(EndpointChooser.weighted(List.of(4, 4)), 4)).containsExactly(0, 1, 0, 1);
    }

    @Test
    void shouldSpreadLightEndpointsBetweenHeavyOnes() {
        // nginx's example of smooth weighted round-robin: a a b a c a a
        assertThat(picks(EndpointChooser.weighted(List.of(5, 1, 1)), 14))
                .containsExactly(0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0);
    }

    @Test
    void shouldPickEachEndpointInProportionToItsWeight() {
        List<Integer> picks = picks(EndpointChooser.weighted(List.of(3, 0, 1, 6)), 1_000);

        assertThat(picks.stream().filter(p -> p == 0)).hasSize(300);
        assertThat(picks.stream().filter(p -> p == 1)).isEmpty();
        assertThat(picks.stream().filter(p -> p == 2)).hasSize(100);
        assertThat(picks.stream().filter(p -> p == 3)).hasSize(600);
    }

    @Test
    void shouldRejectWeightsThatPickNothing() {
        assertThatThrownBy(() -> EndpointChooser.weighted(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EndpointChooser.weighted(List.of(0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EndpointChooser.weighted(List.of(1, -1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Integer> picks(EndpointChooser chooser, int n) {
        List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picks.add(chooser.next());
        }
        return picks;
    }
}
