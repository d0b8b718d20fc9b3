package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rules apply --dry-run} and the mistakes the rules commands refuse before they connect to
 * anything.
 */
class RulesCommandTest {

    /** Kafka that is never reached: each test must finish before it connects. */
    private static final String NO_BROKER = "127.0.0.1:1";

    @Test
    void shouldCheckAFileAndPrintItsRulesWithoutConnecting() {
        CommandRun run =
                CommandRun.of(
                        "rules",
                        "apply",
                        "--dry-run",
                        "-b",
                        NO_BROKER,
                        "--file",
                        Path.of("..", "rules", "example-rules.yaml").toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines().findFirst())
                .hasValueSatisfying(
                        header ->
                                assertThat(header)
                                        .matches(
                                                "ID +SCOPE +METRIC +LEVELS +RESOLUTION +FOR"
                                                        + " +SOURCE"));
        assertThat(run.out())
                .containsPattern(
                        "checkout-p99 +\\*/load-\\*/checkout +p99 +above warning 300ms critical"
                                + " 500ms resolve 250ms +10s +30s, keep 1m +rules ")
                .containsPattern(
                        "error-budget +\\*/\\*/\\* +error_rate +above critical 1% +run +0s")
                .containsPattern(
                        "throughput-floor +\\*/load-steady/\\* +throughput +below warning 180"
                                + " critical 150 +1s +20s")
                .contains("analyze-lag (disabled)")
                .contains("4 rules in ")
                .contains("nothing written (--dry-run)");
    }

    @Test
    void shouldRefuseAFileWithAMistakeNamingFileLineAndField(@TempDir Path dir) throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("rules.yaml"),
                        "rules:\n  - id: slow\n    metric: p98\n    above: 1s\n");

        CommandRun run =
                CommandRun.of("rules", "apply", "-b", NO_BROKER, "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0))
                .startsWith("error: " + file + ":3:13: rules[0].metric: unknown metric 'p98'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldAskForACluster() {
        CommandRun list = CommandRun.of("rules", "list");
        CommandRun delete = CommandRun.of("rules", "delete", "a");

        assertThat(list.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(list.err())
                .contains(
                        "loadstream rules list needs a running cluster: give --bootstrap-servers");
        assertThat(delete.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldAskForAFileAndAnId() {
        assertThat(CommandRun.of("rules", "apply", "-b", NO_BROKER).err())
                .contains("Missing required option: '--file=FILE'");
        assertThat(CommandRun.of("rules", "delete", "-b", NO_BROKER).err())
                .contains("Missing required parameter: 'ID'");
    }
}
