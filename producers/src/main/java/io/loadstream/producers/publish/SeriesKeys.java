package io.loadstream.producers.publish;

import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import java.util.HashMap;
import java.util.Map;

/**
 * The record keys of a publisher's events, one instance per series (run, scenario, endpoint,
 * generator). A run has a handful of series, so the sender builds a key once per series rather than
 * once per event, and {@link RepeatedKeySerializer} serializes it once.
 *
 * <p>Not thread-safe: the sender thread alone asks for keys.
 */
final class SeriesKeys {

    /** Series kept before the cache starts again, so that endless new labels cannot fill memory. */
    static final int MAX_SERIES = 1_024;

    private final Map<String, SeriesKey> byEndpoint = new HashMap<>();

    /** The key of {@code timing}'s series: equal to a new one, and the same instance each time. */
    SeriesKey of(RequestTiming timing) {
        SeriesKey key = byEndpoint.get(timing.getEndpoint());
        if (key != null && sameSeries(key, timing)) {
            return key;
        }
        if (byEndpoint.size() >= MAX_SERIES) {
            byEndpoint.clear();
        }
        key =
                new SeriesKey(
                        timing.getRunId(),
                        timing.getScenario(),
                        timing.getEndpoint(),
                        timing.getGeneratorId());
        byEndpoint.put(timing.getEndpoint(), key);
        return key;
    }

    private static boolean sameSeries(SeriesKey key, RequestTiming timing) {
        return same(key.getRunId(), timing.getRunId())
                && same(key.getScenario(), timing.getScenario())
                && same(key.getGeneratorId(), timing.getGeneratorId());
    }

    /** Labels of one run are the same instances; equals is for the others. */
    private static boolean same(String a, String b) {
        return a == b || a.equals(b);
    }
}
