package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loadstream generate} on the module's shared broker. */
@LocalPipeline
class GenerateCommandIT {

    private static final String SCENARIO =
            """
            name: refused
            type: load
            endpoints:
              - name: home
                url: ${target}/home
            executor:
              type: constant-arrival-rate
              rate: 20
              duration: 2s
            """;

    @Test
    void shouldFailWhenTheTargetRefusesEveryConnection(TestPipeline pipeline, @TempDir Path dir)
            throws Exception {
        Path scenario = Files.writeString(dir.resolve("refused.yaml"), SCENARIO);

        CommandRun run =
                CommandRun.of(
                        "generate",
                        "-b",
                        pipeline.bootstrapServers(),
                        "--schema-registry-url",
                        pipeline.registryUrl(),
                        "--topic-prefix",
                        pipeline.newPrefix(),
                        "--scenario",
                        scenario.toString(),
                        "--target-url",
                        "http://127.0.0.1:" + closedPort(),
                        "--warmup",
                        "1s");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILURE);
        // every event reached Kafka: what failed is the target, and the error line says so
        long sent = count(run.out(), "sent");
        assertThat(sent).isPositive();
        assertThat(count(run.out(), "acknowledged")).isEqualTo(sent);
        // a warm-up of 1 s at the file's 20 req/s precedes its 2 s
        assertThat(sent).isEqualTo(60);
        assertThat(count(run.out(), "warmup")).isEqualTo(20);
        assertThat(run.errLines())
                .containsExactly(
                        "error: none of the "
                                + sent
                                + " requests succeeded ("
                                + sent
                                + " CONNECT_ERROR): is the target running, and is --target-url"
                                + " right?");
    }

    /** A loopback port nothing listens on: connecting to it is refused at once. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private static long count(String out, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(out);
        assertThat(m.find()).as(name + " in " + out).isTrue();
        return Long.parseLong(m.group(1));
    }
}
