package io.loadstream.analytics.aggregate;

import io.loadstream.avro.IntervalHistogram;
import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Re-keys partials from {@code histograms} by run, scenario and endpoint for stage 2, and names the
 * {@code histograms} partition they came through in their {@link PartialProgress}.
 *
 * <p>A stage 1 task writes partials of different series to different partitions of {@code
 * histograms}, and the tasks that re-key those partitions run independently, so one partition's
 * partials can overtake another's on their way to stage 2. Order holds only along one path (one
 * stage 1 task, one partition): the path, not the task, is the source whose progress stage 2 may
 * trust.
 */
public final class PartialRekeyProcessor
        implements Processor<SeriesKey, IntervalHistogram, RunKey, IntervalHistogram> {

    private ProcessorContext<RunKey, IntervalHistogram> context;

    @Override
    public void init(ProcessorContext<RunKey, IntervalHistogram> context) {
        this.context = context;
    }

    @Override
    public void process(Record<SeriesKey, IntervalHistogram> record) {
        IntervalHistogram partial = record.value();
        SeriesKey series = record.key();
        RunKey run;
        if (partial != null) {
            run = new RunKey(partial.getRunId(), partial.getScenario(), partial.getEndpoint());
        } else if (series != null) {
            run = new RunKey(series.getRunId(), series.getScenario(), series.getEndpoint());
        } else {
            run = new RunKey("", "", "");
        }
        Headers headers = record.headers();
        PartialProgress progress = PartialProgress.fromHeaders(headers);
        if (progress != null) {
            int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
            headers.remove(PartialProgress.SOURCE_HEADER);
            headers.remove(PartialProgress.COMPLETE_BEFORE_HEADER);
            new PartialProgress(
                            progress.source() + " via partition " + partition,
                            progress.completeBeforeMs())
                    .toHeaders()
                    .forEach(headers::add);
        }
        context.forward(record.withKey(run).withHeaders(headers));
    }
}
