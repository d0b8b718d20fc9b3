package io.loadstream.analytics.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import org.junit.jupiter.api.Test;

class AggregateKeysTest {

    @Test
    void shouldReadBackNamesHoldingTheSeparatorAndTheEscape() {
        SeriesKey series = new SeriesKey("run\0x", "sc\u0001en", "a\0gen", "gen");
        AggregateKeys.SeriesWindow window = new AggregateKeys.SeriesWindow(series, 1_000, false);

        assertThat(AggregateKeys.SeriesWindow.parse(window.encode())).isEqualTo(window);
    }

    @Test
    void shouldGiveDifferentKeysToSeriesThatANaiveJoinWouldConfuse() {
        SeriesKey plain = new SeriesKey("run", "scenario", "a", "gen");
        SeriesKey smuggled = new SeriesKey("run", "scenario", "a\0gen", "other");

        assertThat(new AggregateKeys.SeriesWindow(smuggled, 0, false).encode())
                .isNotEqualTo(new AggregateKeys.SeriesWindow(plain, 0, false).encode());
        assertThat(AggregateKeys.run(new RunKey("run", "s", "a\0b")))
                .isNotEqualTo(AggregateKeys.run(new RunKey("run", "s\0a", "b")));
    }

    @Test
    void shouldReadBackEndpointWindowsRunsAndGenerators() {
        RunKey run = new RunKey("r\u001f", "s", "GET /a\tb");
        AggregateKeys.EndpointWindow window = new AggregateKeys.EndpointWindow(run, 10_000, 20_000);
        AggregateKeys.Generator generator = new AggregateKeys.Generator("r\0", "g\u0001");

        assertThat(AggregateKeys.EndpointWindow.parse(window.encode())).isEqualTo(window);
        assertThat(AggregateKeys.parseRun(AggregateKeys.run(run))).isEqualTo(run);
        assertThat(AggregateKeys.Generator.parse(generator.encode())).isEqualTo(generator);
        assertThat(AggregateKeys.parseRun(window.encode())).isNull();
    }

    @Test
    void shouldKeepTheKeysOfPlainNamesAsBefore() {
        assertThat(AggregateKeys.run(new RunKey("run", "scenario", "GET /cart")))
                .isEqualTo("R\0run\0scenario\0GET /cart");
    }
}
