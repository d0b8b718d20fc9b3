package io.loadstream.analytics.deadletter;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many records went to the dead-letter topic, per reason; the source of the dead-letter metric.
 * Safe to share between stream threads: one instance is handed to every deserialization handler
 * through the Streams config under {@link #CONFIG_KEY}, and to the value checks of the topology.
 */
public final class DeadLetterCounts {

    /** The Streams config key under which an instance is passed to the handlers. */
    public static final String CONFIG_KEY = "loadstream.dead-letter.counts";

    private final LongAdder[] counts = new LongAdder[DeadLetterReason.values().length];

    public DeadLetterCounts() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one dead letter. */
    public void increment(DeadLetterReason reason) {
        counts[reason.ordinal()].increment();
    }

    /** Dead letters for {@code reason} so far. */
    public long count(DeadLetterReason reason) {
        return counts[reason.ordinal()].sum();
    }

    /** Dead letters for every reason so far. */
    public long total() {
        long total = 0;
        for (LongAdder count : counts) {
            total += count.sum();
        }
        return total;
    }

    /** The count of every reason, zeros included, in declaration order. */
    public Map<DeadLetterReason, Long> snapshot() {
        Map<DeadLetterReason, Long> snapshot = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            snapshot.put(reason, count(reason));
        }
        return Collections.unmodifiableMap(snapshot);
    }

    @Override
    public String toString() {
        return "DeadLetterCounts" + snapshot();
    }
}
