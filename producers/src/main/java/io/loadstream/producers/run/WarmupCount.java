package io.loadstream.producers.run;

import io.loadstream.avro.RequestTiming;
import io.loadstream.producers.execute.TimingSink;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the warm-up events on their way to the next sink, so that a run can say how many of its
 * events analyze is to count apart from its results.
 */
final class WarmupCount implements TimingSink {

    private final TimingSink next;
    private final LongAdder warmup = new LongAdder();

    WarmupCount(TimingSink next) {
        this.next = next;
    }

    @Override
    public void publish(RequestTiming timing) {
        if (timing.getWarmup()) {
            warmup.increment();
        }
        next.publish(timing);
    }

    /** Warm-up events passed on so far. */
    long warmup() {
        return warmup.sum();
    }
}
