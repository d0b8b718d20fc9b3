package io.loadstream.cli;

import io.loadstream.avro.AlertLevel;
import io.loadstream.consumers.alerts.AlertFilter;
import io.loadstream.consumers.alerts.AlertTail;
import io.loadstream.consumers.alerts.forward.AlertForwarder;
import io.loadstream.consumers.alerts.forward.AlertSender;
import io.loadstream.consumers.alerts.forward.AlertmanagerMapping;
import io.loadstream.consumers.alerts.forward.HttpAlertSender;
import io.loadstream.consumers.alerts.forward.RetryBackoff;
import io.loadstream.schemas.topic.Topic;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code loadstream alerts}: real-time consumers of the {@code alerts} topic. */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description =
                "Real-time consumers of the alerts topic, where analyze writes every transition of"
                        + " every alert (pending, firing, resolved).",
        subcommands = {AlertsCommand.TailCommand.class, AlertsCommand.ForwardCommand.class})
final class AlertsCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Options that choose alerts: a run pattern and the lowest level. */
    static final class Selection {
        @Option(
                names = "--run",
                paramLabel = "RUN",
                description = "Only alerts of this run (a pattern: * any characters, ? one).")
        String run;

        @Option(
                names = "--level",
                paramLabel = "LEVEL",
                converter = LevelConverter.class,
                description = "Only alerts at this level or above: warning (both) or critical.")
        AlertLevel level;

        AlertFilter filter() {
            return AlertFilter.of(run, level);
        }
    }

    /** {@code loadstream alerts tail}: a live view of alert transitions. */
    @Command(
            name = "tail",
            mixinStandardHelpOptions = true,
            description = {
                "Shows alerts as they fire, change level and resolve, one line each: the window"
                        + " time (UTC), state, level, rule, run, scenario and endpoint, and the"
                        + " value against the threshold (latencies in ms, error rates in %%).",
                "Starts at the end of the topic (--from-beginning: the latest transition of every"
                        + " alert, then the rest) and runs until Ctrl-C. Lines go to standard"
                        + " output, one per transition, so they can be piped or written to a file."
            })
    static final class TailCommand implements Callable<Integer> {

        @Mixin KafkaOptions kafka;
        @Mixin RegistryOptions registryOptions;
        @Mixin Selection selection;

        @Option(
                names = "--from-beginning",
                description = "Start at the beginning of the topic instead of its end.")
        boolean fromBeginning;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            AlertFilter filter = UsageErrors.parse(spec, "--run", selection::filter);
            try (PipelineConnection pipeline =
                    PipelineConnection.open(kafka, registryOptions, false)) {
                Interruption interruption = pipeline.stopOnInterrupt(Duration.ofSeconds(5));
                PrintWriter out = spec.commandLine().getOut();
                try (AlertTail tail =
                        AlertTail.open(
                                        pipeline.clientConfig(),
                                        pipeline.serdes(),
                                        pipeline.topics().alerts(),
                                        filter,
                                        fromBeginning)
                                .start()) {
                    Console.info(
                            "Following "
                                    + pipeline.topics().alerts().name()
                                    + (fromBeginning ? " from its beginning" : " from its end")
                                    + "; Ctrl-C stops.");
                    tail.run(
                            interruption::requested,
                            line -> {
                                out.println(line);
                                out.flush();
                            });
                } finally {
                    interruption.finished();
                }
            }
            return ExitCodes.OK;
        }
    }

    /** {@code loadstream alerts forward}: alerts to Alertmanager or a webhook, at least once. */
    @Command(
            name = "forward",
            mixinStandardHelpOptions = true,
            description = {
                "Posts firing and resolved alerts to a Prometheus Alertmanager (POST"
                        + " /api/v2/alerts), so that its grouping, silences, inhibitions and"
                        + " routes apply, or as Alertmanager webhook messages (version 4) to"
                        + " --webhook-url. Pending and inactive transitions are not sent.",
                "Labels: alertname (the rule id), run, scenario, endpoint, metric, severity"
                        + " (warning or critical) and the rule's labels; annotations: summary,"
                        + " description, value, threshold and the rule's annotations. startsAt is"
                        + " the episode's start; endsAt the resolve time, or for a firing alert"
                        + " now plus four --resend-interval, and firing alerts are posted again"
                        + " every --resend-interval, as Prometheus does.",
                "At least once, as a member of consumer group --group: an offset is committed only"
                        + " after a 2xx. While the receiver is down (no connection, timeout, 5xx,"
                        + " 408, 429) the post is retried after waits doubling from 0.5 s up to"
                        + " --retry-max-wait, and nothing behind it is skipped; another 4xx sends"
                        + " the record to dead-letters (reason rejected-by-receiver, with the"
                        + " answer) and forwarding goes on. Runs until Ctrl-C, then prints its"
                        + " counts."
            })
    static final class ForwardCommand implements Callable<Integer> {

        static final String ALERTMANAGER_GROUP = "loadstream-alerts-alertmanager";
        static final String WEBHOOK_GROUP = "loadstream-alerts-webhook";

        @Mixin KafkaOptions kafka;
        @Mixin RegistryOptions registryOptions;
        @Mixin Selection selection;

        @Option(
                names = "--alertmanager-url",
                paramLabel = "URL",
                description = "Alertmanager's base URL, for example http://127.0.0.1:9093.")
        String alertmanagerUrl;

        @Option(
                names = "--webhook-url",
                paramLabel = "URL",
                description = "A URL that takes Alertmanager webhook messages.")
        String webhookUrl;

        @Option(
                names = "--group",
                paramLabel = "ID",
                description =
                        "Consumer group; forwarders with the same group share the alerts (default: "
                                + ALERTMANAGER_GROUP
                                + " or "
                                + WEBHOOK_GROUP
                                + ").")
        String group;

        @Option(
                names = "--resend-interval",
                paramLabel = "DURATION",
                defaultValue = "1m",
                converter = DurationConverter.class,
                description =
                        "Alertmanager: how often firing alerts are posted again; 0s never"
                                + " (default: ${DEFAULT-VALUE}, as Prometheus). Webhook messages"
                                + " are sent once per transition.")
        Duration resendInterval;

        @Option(
                names = "--retry-max-wait",
                paramLabel = "DURATION",
                defaultValue = "30s",
                converter = DurationConverter.class,
                description =
                        "Longest wait between attempts while the receiver is down (default:"
                                + " ${DEFAULT-VALUE}).")
        Duration retryMaxWait;

        @Option(
                names = "--generator-url",
                paramLabel = "URL",
                description =
                        "Base of each alert's generatorURL (rule, run, scenario and endpoint are"
                                + " added as query parameters), for example your dashboard.")
        String generatorUrl;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            AlertFilter filter = UsageErrors.parse(spec, "--run", selection::filter);
            if ((alertmanagerUrl == null) == (webhookUrl == null)) {
                throw UsageErrors.usageError(
                        spec,
                        alertmanagerUrl == null
                                ? "give --alertmanager-url or --webhook-url: where to forward"
                                        + " alerts"
                                : "give --alertmanager-url or --webhook-url, not both (run one"
                                        + " forwarder for each)");
            }
            if (resendInterval.isNegative()) {
                throw UsageErrors.usageError(
                        spec, "--resend-interval must not be negative, not " + resendInterval);
            }
            RetryBackoff backoff =
                    UsageErrors.parse(
                            spec,
                            "--retry-max-wait",
                            () -> new RetryBackoff(Duration.ofMillis(500), 2, retryMaxWait));
            boolean alertmanager = alertmanagerUrl != null;
            Duration resend = alertmanager ? resendInterval : Duration.ZERO;
            // Prometheus: a firing alert ends four resend intervals after it was last sent
            AlertmanagerMapping mapping =
                    new AlertmanagerMapping(
                            (resendInterval.isZero() ? Duration.ofMinutes(1) : resendInterval)
                                    .multipliedBy(4),
                            generatorUrl);
            AlertSender sender =
                    alertmanager
                            ? UsageErrors.parse(
                                    spec,
                                    () ->
                                            HttpAlertSender.alertmanager(
                                                    alertmanagerUrl,
                                                    mapping,
                                                    System::currentTimeMillis))
                            : UsageErrors.parse(
                                    spec,
                                    () ->
                                            HttpAlertSender.webhook(
                                                    webhookUrl,
                                                    mapping,
                                                    System::currentTimeMillis));
            String groupId =
                    group != null ? group : alertmanager ? ALERTMANAGER_GROUP : WEBHOOK_GROUP;
            try (PipelineConnection pipeline =
                    PipelineConnection.open(kafka, registryOptions, false)) {
                requireTopics(
                        pipeline,
                        List.of(pipeline.topics().alerts(), pipeline.topics().deadLetters()));
                try (AlertForwarder forwarder =
                        AlertForwarder.open(
                                pipeline.clientConfig(),
                                pipeline.serdes(),
                                pipeline.topics(),
                                groupId,
                                sender,
                                filter,
                                resend,
                                backoff)) {
                    pipeline.onInterrupt(forwarder::stop);
                    Interruption interruption = pipeline.stopOnInterrupt(Duration.ofSeconds(15));
                    try {
                        Console.info(
                                "Forwarding "
                                        + pipeline.topics().alerts().name()
                                        + " to "
                                        + sender.receiver()
                                        + " as group "
                                        + groupId
                                        + "; Ctrl-C stops.");
                        forwarder.run();
                        AlertForwarder.Counts counts = forwarder.counts();
                        PrintWriter out = spec.commandLine().getOut();
                        out.println("delivered " + counts.delivered());
                        out.println("resent " + counts.resent());
                        out.println("retries " + counts.retries());
                        out.println("dead-letters " + counts.deadLetters());
                        out.flush();
                    } finally {
                        interruption.finished();
                    }
                }
            }
            return ExitCodes.OK;
        }

        /** Fails at once, naming the topic, rather than waiting for a topic that is not there. */
        private static void requireTopics(PipelineConnection pipeline, List<Topic<?, ?>> topics) {
            try (Admin admin = Admin.create(pipeline.clientConfig().admin())) {
                var names = admin.listTopics().names().get();
                for (Topic<?, ?> topic : topics) {
                    if (!names.contains(topic.name())) {
                        throw new IllegalStateException(
                                "topic "
                                        + topic.name()
                                        + " does not exist: run 'loadstream topics' or check"
                                        + " --topic-prefix");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while looking up the topics", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(
                        "cannot list the topics: " + e.getCause().getMessage(), e);
            }
        }
    }

    /** {@code warning} or {@code critical}. */
    static final class LevelConverter implements ITypeConverter<AlertLevel> {
        @Override
        public AlertLevel convert(String value) {
            try {
                return AlertFilter.parseLevel(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
