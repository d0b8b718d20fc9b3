package io.loadstream.producers.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorSettingsTest {

    private static final List<LatencyProfile> ENDPOINTS = LatencyProfile.parseList("a,b");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void shouldKeepAnUnmodifiableCopyOfTheEndpoints() {
        List<LatencyProfile> endpoints = new ArrayList<>(ENDPOINTS);
        GeneratorSettings settings =
                new GeneratorSettings("run-1", "s", "g", endpoints, 100, MINUTE, 1);

        endpoints.clear();

        assertThat(settings.endpoints()).isEqualTo(ENDPOINTS);
    }

    @Test
    void shouldRejectBlankIds() {
        assertThatThrownBy(() -> new GeneratorSettings(" ", "s", "g", ENDPOINTS, 100, MINUTE, 1))
                .hasMessage("run id must not be empty");
        assertThatThrownBy(() -> new GeneratorSettings("r", null, "g", ENDPOINTS, 100, MINUTE, 1))
                .hasMessage("scenario must not be empty");
        assertThatThrownBy(() -> new GeneratorSettings("r", "s", "", ENDPOINTS, 100, MINUTE, 1))
                .hasMessage("generator id must not be empty");
    }

    @Test
    void shouldRejectMissingOrRepeatedEndpoints() {
        assertThatThrownBy(() -> new GeneratorSettings("r", "s", "g", List.of(), 100, MINUTE, 1))
                .hasMessage("at least one endpoint is needed");
        List<LatencyProfile> twice = List.of(ENDPOINTS.get(0), ENDPOINTS.get(0));
        assertThatThrownBy(() -> new GeneratorSettings("r", "s", "g", twice, 100, MINUTE, 1))
                .hasMessage("endpoint 'a' is given twice");
    }

    @Test
    void shouldRejectANonPositiveRateOrDuration() {
        assertThatThrownBy(() -> new GeneratorSettings("r", "s", "g", ENDPOINTS, 0, MINUTE, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate must be above 0");
        assertThatThrownBy(
                        () ->
                                new GeneratorSettings(
                                        "r", "s", "g", ENDPOINTS, 100, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration must be positive, not PT0S");
    }
}
