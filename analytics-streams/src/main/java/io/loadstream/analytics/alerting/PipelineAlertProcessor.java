package io.loadstream.analytics.alerting;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import io.loadstream.avro.PipelineMetric;
import io.loadstream.avro.PipelineMetricKey;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Judges the pipeline's own metrics ({@code pipeline-metrics}: consumer lag, end-to-end latency,
 * dead letters, as analyze publishes them) against the rules on those metrics, and writes each
 * transition to {@code alerts}.
 *
 * <p>These figures belong to no run: an alert's key has run {@code *}, scenario {@code
 * <component>/<instance>} (for example {@code analyze/host-1}) and endpoint the topic of a consumer
 * lag, {@code *} otherwise; a rule's run, scenario and endpoint patterns are matched against those.
 * Each record is one judgement, at its timestamp, so {@code for} and {@code keepFiringFor} count in
 * the publisher's time. Rules deleted or disabled end their alerts at the next sweep, as for
 * results.
 */
public final class PipelineAlertProcessor
        implements Processor<PipelineMetricKey, PipelineMetric, AlertKey, Alert> {

    private final String storeName;
    private final String rulesStoreName;
    private final Set<Long> resolutionsMs;
    private final Duration sweepInterval;

    private RuleBook rules;
    private AlertLedger ledger;

    public PipelineAlertProcessor(
            String storeName,
            String rulesStoreName,
            Set<Long> resolutionsMs,
            Duration sweepInterval) {
        this.storeName = storeName;
        this.rulesStoreName = rulesStoreName;
        this.resolutionsMs = Set.copyOf(resolutionsMs);
        this.sweepInterval = sweepInterval;
    }

    @Override
    public void init(ProcessorContext<AlertKey, Alert> context) {
        KeyValueStore<AlertKey, TrackedAlert> store = context.getStateStore(storeName);
        this.rules = RuleBook.of(context.getStateStore(rulesStoreName), resolutionsMs);
        this.ledger = new AlertLedger(context, store, rules);
        context.schedule(
                sweepInterval,
                PunctuationType.WALL_CLOCK_TIME,
                now -> ledger.sweep(now, Long.MAX_VALUE));
    }

    @Override
    public void process(Record<PipelineMetricKey, PipelineMetric> record) {
        PipelineMetric metric = record.value();
        Optional<PipelineReading> reading =
                metric == null ? Optional.empty() : PipelineReading.of(metric);
        if (reading.isEmpty()) {
            return;
        }
        String source = metric.getComponent() + "/" + metric.getInstance();
        String subject = reading.get().subject();
        long atMs = metric.getTimestampMs();
        for (ActiveRule rule : rules.pipelineRules(reading.get().metric())) {
            if (!rule.scope().appliesTo(PipelineReading.ALL, source, subject)) {
                continue;
            }
            AlertKey key = new AlertKey(rule.id(), PipelineReading.ALL, source, subject);
            JudgedWindow window =
                    new JudgedWindow(atMs, atMs, Long.MAX_VALUE, reading.get().value());
            ledger.judge(key, rule, window, record.timestamp());
        }
    }
}
