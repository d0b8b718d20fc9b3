package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.analytics.deadletter.DeadLetterHeaders;
import io.loadstream.consumers.alerts.forward.ForwardDeadLetters;
import org.junit.jupiter.api.Test;

/** {@code alerts tail} and {@code alerts forward} refuse wrong command lines before connecting. */
class AlertsCommandTest {

    private static final String NO_BROKER = "127.0.0.1:1";

    @Test
    void shouldRequireAReceiverToForwardTo() {
        CommandRun run = CommandRun.of("alerts", "forward", "-b", NO_BROKER);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines())
                .containsExactly(
                        "error: give --alertmanager-url or --webhook-url: where to forward alerts",
                        "Try 'loadstream alerts forward --help' for more information.");
    }

    @Test
    void shouldRefuseAReceiverUrlThatIsNotHttp() {
        CommandRun run =
                CommandRun.of(
                        "alerts",
                        "forward",
                        "-b",
                        NO_BROKER,
                        "--alertmanager-url",
                        "localhost:9093");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines().get(0))
                .startsWith(
                        "error: --alertmanager-url must be an http:// or https:// URL, not"
                                + " 'localhost:9093'");
    }

    @Test
    void shouldNameTheLevelsWhenALevelIsWrong() {
        CommandRun run = CommandRun.of("alerts", "tail", "-b", NO_BROKER, "--level", "major");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines().get(0))
                .contains("the level must be warning or critical, not 'major'");
        assertThat(CommandRun.of("generate", "-b", NO_BROKER, "--abort-on", "fatal").exitCode())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldWriteDeadLettersWithTheHeaderNamesAnalyzeUses() {
        assertThat(ForwardDeadLetters.REASON).isEqualTo(DeadLetterHeaders.REASON);
        assertThat(ForwardDeadLetters.DETAIL).isEqualTo(DeadLetterHeaders.DETAIL);
        assertThat(ForwardDeadLetters.SOURCE_TOPIC).isEqualTo(DeadLetterHeaders.SOURCE_TOPIC);
        assertThat(ForwardDeadLetters.SOURCE_PARTITION)
                .isEqualTo(DeadLetterHeaders.SOURCE_PARTITION);
        assertThat(ForwardDeadLetters.SOURCE_OFFSET).isEqualTo(DeadLetterHeaders.SOURCE_OFFSET);
        assertThat(ForwardDeadLetters.PROCESSOR).isEqualTo(DeadLetterHeaders.PROCESSOR);
    }
}
