package io.loadstream.consumers.check;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.avro.WindowStats;
import io.loadstream.consumers.compacted.CompactedTopicReader;
import io.loadstream.schemas.config.ClientConfig;
import io.loadstream.schemas.serde.AvroSerdes;
import io.loadstream.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads what {@link RunCheck} judges a run on: its final summaries (waiting for them), every rule,
 * and the run's alerts; all committed records only, from the compacted topics.
 *
 * <p>Reads: {@code run-summaries}, {@code rules}, {@code alerts}.
 */
public final class RunCheckReader {

    /** Why a run cannot be judged: it has no results, or they are not final yet. */
    public static final class IncompleteRunException extends RuntimeException {
        IncompleteRunException(String message) {
            super(message);
        }
    }

    private final ClientConfig clientConfig;
    private final AvroSerdes serdes;
    private final Topics topics;

    public RunCheckReader(ClientConfig clientConfig, AvroSerdes serdes, Topics topics) {
        this.clientConfig = clientConfig;
        this.serdes = serdes;
        this.topics = topics;
    }

    /**
     * Waits up to {@code wait} for every endpoint of the run to have a final summary, then reads
     * the rules and the run's alerts, and judges.
     *
     * @throws IncompleteRunException when the run has no results at all, or they are still not
     *     final when the wait is over
     */
    public List<RuleVerdict> judge(String runId, Duration wait) {
        SortedMap<String, WindowStats> summaries = awaitFinal(runId, wait);
        Map<String, ThresholdRule> rules;
        try (CompactedTopicReader<String, ThresholdRule> reader =
                CompactedTopicReader.open(clientConfig, serdes, topics.rules(), id -> true)) {
            rules = reader.readToEnd(wait);
        }
        Map<AlertKey, Alert> alerts;
        try (CompactedTopicReader<AlertKey, Alert> reader =
                CompactedTopicReader.open(
                        clientConfig, serdes, topics.alerts(), k -> k.getRunId().equals(runId))) {
            alerts = reader.readToEnd(wait);
        }
        return RunCheck.judge(runId, summaries, rules.values(), alerts);
    }

    private SortedMap<String, WindowStats> awaitFinal(String runId, Duration wait) {
        try (CompactedTopicReader<RunKey, WindowStats> reader =
                CompactedTopicReader.open(
                        clientConfig,
                        serdes,
                        topics.runSummaries(),
                        key -> key.getRunId().equals(runId))) {
            Map<RunKey, WindowStats> now = reader.readToEnd(wait);
            if (now.isEmpty()) {
                throw new IncompleteRunException(
                        "no results for run "
                                + runId
                                + " on "
                                + topics.runSummaries().name()
                                + ": is the run id right, and did analyze run?");
            }
            boolean complete =
                    reader.readUntil(
                            table -> table.values().stream().allMatch(WindowStats::getFinal$),
                            wait);
            SortedMap<String, WindowStats> byEndpoint = new TreeMap<>();
            reader.latest().values().forEach(s -> byEndpoint.put(s.getEndpoint(), s));
            if (!complete) {
                List<String> open =
                        byEndpoint.values().stream()
                                .filter(s -> !s.getFinal$())
                                .map(WindowStats::getEndpoint)
                                .toList();
                throw new IncompleteRunException(
                        "the results of run "
                                + runId
                                + " are not final after "
                                + wait.toSeconds()
                                + " s (endpoints "
                                + open
                                + "): is the run still going, or analyze stopped?");
            }
            return byEndpoint;
        }
    }
}
