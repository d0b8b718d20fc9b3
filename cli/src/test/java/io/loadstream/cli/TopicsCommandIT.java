package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.testing.LocalPipeline;
import io.loadstream.testing.TestPipeline;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code loadstream topics} on the module's shared broker: each test names its topics under a
 * prefix of its own, so that what one creates another never finds.
 */
@LocalPipeline
class TopicsCommandIT {

    @Test
    void shouldCreateTopicsOnceAndThenFindThemInPlace(TestPipeline pipeline) {
        String prefix = pipeline.newPrefix();
        String bootstrap = pipeline.bootstrapServers();

        CommandRun first =
                run("topics", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);
        CommandRun second =
                run("topics", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix);
        CommandRun check = run("topics", "--check", "-b", bootstrap, "--topic-prefix", prefix);

        assertThat(first.exitCode()).isZero();
        assertThat(first.out().lines().filter(l -> l.endsWith("created"))).hasSize(10);
        assertThat(first.out())
                .containsPattern(
                        Pattern.quote(prefix + "window-stats") + "\\s+compact\\s+6\\s+created");
        assertThat(first.out())
                .containsPattern(Pattern.quote(prefix + "timings") + "\\s+delete\\s+6\\s+created");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out().lines().filter(l -> l.endsWith("exists"))).hasSize(10);
        assertThat(check.exitCode()).isZero();
    }

    @Test
    void shouldReportMissingTopicsWhenChecking(TestPipeline pipeline) {
        CommandRun check =
                run(
                        "topics",
                        "--check",
                        "-b",
                        pipeline.bootstrapServers(),
                        "--topic-prefix",
                        pipeline.newPrefix());

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out().lines().filter(l -> l.endsWith("missing"))).hasSize(10);
    }

    @Test
    void shouldRefuseTopicWithWrongCleanupPolicy(TestPipeline pipeline) throws Exception {
        String prefix = pipeline.newPrefix();
        try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(prefix + "alerts", 1, (short) 1)
                                            .configs(
                                                    Map.of(
                                                            TopicConfig.CLEANUP_POLICY_CONFIG,
                                                            "delete"))))
                    .all()
                    .get();
        }

        CommandRun run = run("topics", "-b", pipeline.bootstrapServers(), "--topic-prefix", prefix);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        prefix
                                + "alerts has cleanup.policy=delete but must have"
                                + " cleanup.policy=compact");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void shouldAskForBootstrapServers() {
        CommandRun run = run("topics");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--bootstrap-servers");
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }
}
