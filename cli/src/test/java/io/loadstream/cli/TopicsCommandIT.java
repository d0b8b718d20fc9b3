package io.loadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.cluster.LocalKafkaCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopicsCommandIT {

    private static LocalKafkaCluster kafka;

    @BeforeAll
    static void start() {
        kafka = LocalKafkaCluster.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void shouldCreateTopicsOnceAndThenFindThemInPlace() {
        Run first =
                run(
                        "topics",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic-prefix",
                        "cli.");
        Run second =
                run(
                        "topics",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic-prefix",
                        "cli.");
        Run check =
                run("topics", "--check", "-b", kafka.bootstrapServers(), "--topic-prefix", "cli.");

        assertThat(first.exitCode).isZero();
        assertThat(first.out.lines().filter(l -> l.endsWith("created"))).hasSize(10);
        assertThat(first.out).containsPattern("cli\\.window-stats\\s+compact\\s+6\\s+created");
        assertThat(first.out).containsPattern("cli\\.timings\\s+delete\\s+6\\s+created");
        assertThat(second.exitCode).isZero();
        assertThat(second.out.lines().filter(l -> l.endsWith("exists"))).hasSize(10);
        assertThat(check.exitCode).isZero();
    }

    @Test
    void shouldReportMissingTopicsWhenChecking() {
        Run check =
                run("topics", "--check", "-b", kafka.bootstrapServers(), "--topic-prefix", "none.");

        assertThat(check.exitCode).isEqualTo(1);
        assertThat(check.out.lines().filter(l -> l.endsWith("missing"))).hasSize(10);
    }

    @Test
    void shouldRefuseTopicWithWrongCleanupPolicy() throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers()))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic("bad.alerts", 1, (short) 1)
                                            .configs(
                                                    Map.of(
                                                            TopicConfig.CLEANUP_POLICY_CONFIG,
                                                            "delete"))))
                    .all()
                    .get();
        }

        Run run = run("topics", "-b", kafka.bootstrapServers(), "--topic-prefix", "bad.");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err)
                .contains(
                        "bad.alerts has cleanup.policy=delete but must have"
                                + " cleanup.policy=compact");
        assertThat(run.err).doesNotContain("\tat ");
    }

    @Test
    void shouldAskForBootstrapServers() {
        Run run = run("topics");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains("--bootstrap-servers");
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = LoadstreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    record Run(int exitCode, String out, String err) {}
}
