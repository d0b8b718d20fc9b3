package io.loadstream.producers.publish;

import io.loadstream.avro.SeriesKey;
import io.loadstream.schemas.topic.Topic;
import io.loadstream.schemas.topic.Topics;
import java.util.Locale;

/** What a generator publishes per request: {@code --publish events} or {@code histograms}. */
public enum PublishMode {
    /** One {@code RequestTiming} per request to the timings topic. */
    EVENTS,
    /** One {@code IntervalHistogram} per endpoint and second to the histograms topic. */
    HISTOGRAMS;

    /**
     * The mode named {@code events} or {@code histograms}, in any case.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static PublishMode parse(String name) {
        for (PublishMode mode : values()) {
            if (mode.name().equalsIgnoreCase(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
                "--publish must be events or histograms, not '" + name + "'");
    }

    /** The topic this mode writes to. */
    public Topic<SeriesKey, ?> topic(Topics topics) {
        return switch (this) {
            case EVENTS -> topics.timings();
            case HISTOGRAMS -> topics.histograms();
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
