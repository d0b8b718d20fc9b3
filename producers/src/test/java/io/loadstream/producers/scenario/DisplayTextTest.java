package io.loadstream.producers.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.schemas.config.Durations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisplayTextTest {

    @ParameterizedTest
    @CsvSource({
        "0s, 0s",
        "1m44s, 1m44s",
        "90m, 1h30m",
        "48h, 48h",
        "250ms, 250ms",
        "1.5s, 1s500ms"
    })
    void shouldWriteDurationsAsScenarioFilesDo(String duration, String text) {
        assertThat(DisplayText.duration(Durations.parse(duration))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"200.0, 200", "0.5, 0.5", "2000, 2000", "-5, -5"})
    void shouldWriteNumbersWithoutANeedlessFraction(double value, String text) {
        assertThat(DisplayText.number(value)).isEqualTo(text);
    }
}
