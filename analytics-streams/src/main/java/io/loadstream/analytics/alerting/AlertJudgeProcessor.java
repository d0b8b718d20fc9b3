package io.loadstream.analytics.alerting;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.WindowStats;
import io.loadstream.schemas.rules.RuleMetric;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Judges final windows and final run summaries against the threshold rules and writes every alert
 * transition to {@code alerts}.
 *
 * <ul>
 *   <li>A final window is judged by every enabled rule of its resolution whose scope matches its
 *       run, scenario and endpoint; a final run summary by the run-level rules (resolution 0). Each
 *       (rule, run, scenario, endpoint) has one {@link AlertStateMachine}, kept in a persistent
 *       store that is written in the same transaction as the output.
 *   <li>The rules are read from the global store of the {@code rules} topic at each judgement, so a
 *       changed rule applies from the next final window.
 *   <li>Every {@code sweepInterval} of wall-clock time, a pending or firing alert whose rule was
 *       deleted, disabled, or no longer applies ends (INACTIVE or RESOLVED, with a {@code reason}
 *       annotation), and the alerts of runs that ended more than the run retention ago are deleted
 *       from the store (their last record stays in the compacted {@code alerts}).
 *   <li>When a run's summary is final the run is over: its window-level alerts that are still
 *       pending or firing end with the reason {@code run ended}. Run-level alerts stay as judged: a
 *       firing one is the run's verdict.
 *   <li>{@code no_data} rules judge, at each sweep, how long each run, scenario and endpoint that
 *       has not ended has gone without a result (an early or final window, or a run total) from
 *       stage 2, in milliseconds of wall-clock time; the alert's window is then from the last
 *       result to now. Silence is counted from when this instance last heard of the endpoint, so
 *       after a restart from the restart (stage 2 emits every open window then).
 * </ul>
 */
public final class AlertJudgeProcessor implements Processor<RunKey, WindowStats, AlertKey, Alert> {

    private final String storeName;
    private final String rulesStoreName;
    private final Set<Long> resolutionsMs;
    private final Duration sweepInterval;
    private final long runRetentionMs;

    private ProcessorContext<AlertKey, Alert> context;
    private RuleBook rules;
    private AlertLedger ledger;

    /** When each endpoint of a run that has not ended last had a result, wall clock. */
    private final Map<RunKey, Long> lastHeardMs = new HashMap<>();

    /**
     * @param storeName the store of {@link TrackedAlert}s
     * @param rulesStoreName the global store of the rules topic
     * @param resolutionsMs the window sizes analyze makes, to refuse rules of another
     * @param sweepInterval how often rules that went away are looked for
     * @param runRetention how long the alerts of an ended run stay in the store
     */
    public AlertJudgeProcessor(
            String storeName,
            String rulesStoreName,
            Set<Long> resolutionsMs,
            Duration sweepInterval,
            Duration runRetention) {
        this.storeName = storeName;
        this.rulesStoreName = rulesStoreName;
        this.resolutionsMs = Set.copyOf(resolutionsMs);
        this.sweepInterval = sweepInterval;
        this.runRetentionMs = runRetention.toMillis();
    }

    @Override
    public void init(ProcessorContext<AlertKey, Alert> context) {
        this.context = context;
        KeyValueStore<AlertKey, TrackedAlert> store = context.getStateStore(storeName);
        this.rules = RuleBook.of(context.getStateStore(rulesStoreName), resolutionsMs);
        this.ledger = new AlertLedger(context, store, rules);
        context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<RunKey, WindowStats> record) {
        WindowStats stats = record.value();
        if (stats == null) {
            return;
        }
        RunKey run = new RunKey(stats.getRunId(), stats.getScenario(), stats.getEndpoint());
        boolean runEnded = stats.getResolutionMs() == 0 && stats.getFinal$();
        if (runEnded) {
            lastHeardMs.remove(run);
        } else {
            lastHeardMs.put(run, context.currentSystemTimeMs());
        }
        if (!stats.getFinal$()) {
            return;
        }
        for (ActiveRule rule :
                rules.judging(
                        stats.getRunId(),
                        stats.getScenario(),
                        stats.getEndpoint(),
                        stats.getResolutionMs())) {
            AlertKey key =
                    new AlertKey(
                            rule.id(), stats.getRunId(), stats.getScenario(), stats.getEndpoint());
            ledger.judge(key, rule, JudgedWindow.of(stats, rule.metric()), record.timestamp());
        }
        if (runEnded) {
            runEnded(stats, record.timestamp());
        }
    }

    /** Ends the window-level alerts of the run's endpoint, and starts their retention. */
    private void runEnded(WindowStats summary, long timestamp) {
        long nowMs = context.currentSystemTimeMs();
        for (KeyValue<AlertKey, TrackedAlert> entry : ledger.entries()) {
            AlertKey key = entry.key;
            if (!key.getRunId().equals(summary.getRunId())
                    || !key.getScenario().equals(summary.getScenario())
                    || !key.getEndpoint().equals(summary.getEndpoint())) {
                continue;
            }
            TrackedAlert tracked = entry.value;
            if (tracked.last() != null && !isRunLevel(tracked.last())) {
                tracked =
                        ledger.end(
                                key,
                                tracked,
                                AlertRecords.RUN_ENDED,
                                summary.getWindowEndMs(),
                                timestamp);
            }
            ledger.put(key, tracked.runEnded(nowMs));
        }
    }

    /** Whether {@code alert} judged a run summary: the run's verdict, which its end leaves. */
    private static boolean isRunLevel(LastAlert alert) {
        return alert.resolutionMs() == 0 && !alert.metric().equals(RuleMetric.NO_DATA.id());
    }

    private void sweep(long nowMs) {
        judgeSilence(nowMs);
        ledger.sweep(nowMs, runRetentionMs);
    }

    /** Judges the silence of every endpoint of a run that has not ended against no_data rules. */
    private void judgeSilence(long nowMs) {
        List<ActiveRule> noData = rules.noDataRules();
        if (noData.isEmpty()) {
            return;
        }
        for (Map.Entry<RunKey, Long> heard : lastHeardMs.entrySet()) {
            RunKey run = heard.getKey();
            for (ActiveRule rule : noData) {
                if (!rule.scope().appliesTo(run.getRunId(), run.getScenario(), run.getEndpoint())) {
                    continue;
                }
                AlertKey key =
                        new AlertKey(
                                rule.id(), run.getRunId(), run.getScenario(), run.getEndpoint());
                JudgedWindow silence =
                        new JudgedWindow(
                                heard.getValue(), nowMs, Long.MAX_VALUE, nowMs - heard.getValue());
                ledger.judge(key, rule, silence, nowMs);
            }
        }
    }
}
