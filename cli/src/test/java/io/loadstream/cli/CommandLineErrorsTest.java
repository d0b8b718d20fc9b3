package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How commands fail on what they are given, before they connect to anything: one line naming the
 * problem, exit status 2 for a wrong command line and 1 for a failure (the README's table).
 */
class CommandLineErrorsTest {

    /** Kafka that is never reached: each test must fail before it connects. */
    private static final String NO_BROKER = "127.0.0.1:1";

    @Test
    void shouldNameAnUnknownOptionOnOneLineWithWhereToReadMore() {
        CommandRun run = CommandRun.of("generate", "--rat");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines())
                .containsExactly(
                        "error: Unknown option: '--rat' (did you mean --rate?)",
                        "Try 'loadstream generate --help' for more information.");
    }

    @Test
    void shouldTreatAnOptionValueOutOfRangeAsAUsageError() {
        CommandRun run = CommandRun.of("generate", "-b", NO_BROKER, "--rate", "0");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines())
                .containsExactly(
                        "error: --rate must be positive, not 0.0",
                        "Try 'loadstream generate --help' for more information.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"generate", "analyze"})
    void shouldNameTheMetricsPortInUseOnOneLine(String command) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();

            CommandRun run =
                    CommandRun.of(command, "-b", NO_BROKER, "--metrics-port", String.valueOf(port));

            assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err())
                    .startsWith(
                            "error: --metrics-port "
                                    + port
                                    + ": cannot listen on 127.0.0.1:"
                                    + port);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "cluster"})
    void shouldRefuseAMissingConfigFileBeforeStartingABroker(String command, @TempDir Path dir) {
        Path missing = dir.resolve("client.properties");
        StringBuilder console = new StringBuilder();

        CommandRun run =
                capturingStandardError(
                        console, () -> CommandRun.of(command, "--config", missing.toString()));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines())
                .containsExactly("error: config file " + missing + " does not exist");
        assertThat(console.toString()).doesNotContain("Starting a local Kafka broker");
    }

    @Test
    void shouldNotOfferBootstrapServersToCluster() {
        CommandRun help = CommandRun.of("cluster", "--help");
        CommandRun withBootstrap = CommandRun.of("cluster", "-b", NO_BROKER);

        assertThat(help.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(help.out()).contains("--config", "--topic-prefix");
        assertThat(help.out()).doesNotContain("--bootstrap-servers=").doesNotContain("-b,");
        assertThat(withBootstrap.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(withBootstrap.errLines().get(0)).startsWith("error: Unknown options: '-b'");
    }

    /** Runs {@code task} with what is written to {@code System.err} going to {@code console}. */
    private static <T> T capturingStandardError(StringBuilder console, Supplier<T> task) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return task.get();
        } finally {
            System.setErr(original);
            console.append(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldNameAMistakeInAScenarioFileOnOneLine(@TempDir Path dir) throws Exception {
        Path scenario =
                java.nio.file.Files.writeString(
                        dir.resolve("bad.yaml"),
                        """
                        name: bad
                        type: load
                        endpoints:
                          - {name: home, url: "http://127.0.0.1:1/"}
                        executor: {type: constant-arrival-rate, rate: -1, duration: 1s}
                        """);

        CommandRun run =
                CommandRun.of("generate", "-b", NO_BROKER, "--scenario", scenario.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines())
                .containsExactly(
                        "error: "
                                + scenario
                                + ":5:47: executor.rate: must be greater than 0, not -1");
    }
}
