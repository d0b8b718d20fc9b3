package io.loadstream.producers.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mistakes in scenario files are reported with file, line, column and field. */
class InvalidScenarioTest {

    static final Path FOLDER = Path.of("src", "test", "resources", "scenarios-invalid");
    private static final Map<String, String> VARIABLES = Map.of("target", "http://127.0.0.1:1");

    private static final String VALID_REST =
            """
            endpoints:
              - {name: home, url: "${target}/home"}
            executor: {type: constant-vus, vus: 2, duration: 1m}
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown-field.yaml | 9 | 3 | executor | unknown field 'rat' (known: type, rate,",
                "wrong-type.yaml | 9 | 9 | executor.rate | expected a number, not 'fast'",
                "bad-duration.yaml | 10 | 13 | executor.duration | '2 minutes' is not a duration",
                "negative-rate.yaml | 9 | 9 | executor.rate | must be greater than 0, not -5",
                "negative-stage-target.yaml | 11 | 30 | executor.stages[1].target | must be 0 or",
                "ramping-without-stages.yaml | 7 | 1 | executor.stages | ramping-arrival-rate",
                "missing-name.yaml | 2 | 1 | name | is required",
                "bad-yaml.yaml | 6 | 4 | '' | not valid YAML: expected <block end>"
            })
    void shouldNameFileLineAndFieldOfEachMistake(
            String file, int line, int column, String path, String reason) {
        Path source = FOLDER.resolve(file);

        ScenarioException error =
                catchThrowableOfType(
                        ScenarioException.class, () -> ScenarioLoader.load(source, VARIABLES));

        assertThat(error.source()).isEqualTo(source.toString());
        assertThat(error.line()).isEqualTo(line);
        assertThat(error.column()).isEqualTo(column);
        assertThat(error.path()).isEqualTo(path);
        assertThat(error.reason()).startsWith(reason);
        assertThat(error.getMessage())
                .startsWith(source + ":" + line + ":" + column + ": ")
                .contains(path.isEmpty() ? reason : path + ": " + reason);
    }

    @Test
    void shouldListTheValidNamesOfAnEnum() {
        ScenarioException error = parseError("name: a\ntype: lod\n" + VALID_REST);

        assertThat(error.getMessage())
                .isEqualTo(
                        "inline.yaml:2:7: type: 'lod' is not one of load, stress, spike, soak,"
                                + " volume, endurance");
    }

    @Test
    void shouldRejectAFieldTheExecutorTypeDoesNotTake() {
        ScenarioException error =
                parseError(
                        "name: a\ntype: load\n"
                                + VALID_REST.replace("duration: 1m", "duration: 1m, rate: 5"));

        assertThat(error.path()).isEqualTo("executor.rate");
        assertThat(error.reason())
                .isEqualTo("is not used by constant-vus, which takes vus, duration, pacing");
        assertThat(error.line()).isEqualTo(5);
    }

    @Test
    void shouldNameAnUnknownFieldInAFault() {
        ScenarioException error =
                parseError(
                        "name: a\ntype: load\n"
                                + VALID_REST
                                + "faults:\n  - {type: hang, start: 1s, lenght: 2s}\n");

        assertThat(error.path()).isEqualTo("faults[0]");
        assertThat(error.reason()).startsWith("unknown field 'lenght'");
        assertThat(error.line()).isEqualTo(7);
    }

    @Test
    void shouldRejectARepeatedKey() {
        ScenarioException error = parseError("name: a\nname: b\ntype: load\n" + VALID_REST);

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.reason()).isEqualTo("key 'name' is given twice in one mapping");
    }

    @Test
    void shouldRejectASecondDocument() {
        ScenarioException error =
                parseError("name: a\ntype: load\n" + VALID_REST + "---\nname: b\n");

        assertThat(error.line()).isEqualTo(7);
        assertThat(error.reason()).contains("a second YAML document");
    }

    @Test
    void shouldRejectAnEmptyFileOrOneThatIsNotAMapping() {
        assertThat(parseError("# nothing\n").getMessage())
                .isEqualTo("inline.yaml: holds no scenario");
        assertThat(parseError("just text").reason()).startsWith("expected a mapping");
    }

    @Test
    void shouldRejectAWholeNumberFieldGivenAFraction() {
        ScenarioException error =
                parseError("name: a\ntype: load\n" + VALID_REST.replace("vus: 2", "vus: 2.5"));

        assertThat(error.path()).isEqualTo("executor.vus");
        assertThat(error.reason()).isEqualTo("expected a whole number, not '2.5'");
    }

    @Test
    void shouldRejectAWarmupOfAScheduleThatStartsAtZero() {
        ScenarioException error =
                parseError(
                        """
                        name: a
                        type: stress
                        warmup: 10s
                        endpoints:
                          - {name: home, url: "${target}/home"}
                        executor:
                          type: ramping-arrival-rate
                          stages: [{duration: 1m, target: 100}]
                        """);

        assertThat(error.path()).isEqualTo("warmup");
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.reason())
                .isEqualTo(
                        "ramping-arrival-rate starts at 0 req/s and a warm-up holds the starting"
                                + " level, so it would send nothing: give the executor a startRate"
                                + " above 0");
    }

    @Test
    void shouldRejectAWarmupThatIsNotADuration() {
        ScenarioException error = parseError("name: a\ntype: load\nwarmup: soon\n" + VALID_REST);

        assertThat(error.path()).isEqualTo("warmup");
        assertThat(error.reason()).startsWith("'soon' is not a duration");
    }

    @Test
    void shouldReportAFileThatDoesNotExist() {
        Path missing = FOLDER.resolve("no-such.yaml");

        ScenarioException error =
                catchThrowableOfType(
                        ScenarioException.class, () -> ScenarioLoader.load(missing, VARIABLES));

        assertThat(error.getMessage()).isEqualTo(missing + ": no such file");
    }

    private static ScenarioException parseError(String yaml) {
        return catchThrowableOfType(
                ScenarioException.class,
                () -> ScenarioLoader.parse(yaml, "inline.yaml", VARIABLES));
    }
}
