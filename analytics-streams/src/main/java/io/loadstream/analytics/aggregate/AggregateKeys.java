package io.loadstream.analytics.aggregate;

import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;

/**
 * Keys of {@link AggregateStore}s, encoded as text with NUL separators (names never contain NUL): a
 * window of one generator's series (stage 1), a window of one endpoint at one resolution (stage 2),
 * or the whole run of one endpoint.
 */
final class AggregateKeys {

    private static final String SEP = "\0";
    private static final String SERIES_WINDOW = "S";
    private static final String LATE_SERIES_WINDOW = "L";
    private static final String ENDPOINT_WINDOW = "W";
    private static final String RUN = "R";

    private AggregateKeys() {}

    /**
     * What one generator sent to one endpoint in one window since stage 1 last published it; {@code
     * late} holds the requests that came after the window had closed.
     */
    record SeriesWindow(SeriesKey series, long startMs, boolean late) {
        String encode() {
            return String.join(
                    SEP,
                    late ? LATE_SERIES_WINDOW : SERIES_WINDOW,
                    Long.toString(startMs),
                    series.getRunId(),
                    series.getScenario(),
                    series.getEndpoint(),
                    series.getGeneratorId());
        }

        static SeriesWindow parse(String key) {
            String[] parts = key.split(SEP, -1);
            if (!parts[0].equals(SERIES_WINDOW) && !parts[0].equals(LATE_SERIES_WINDOW)) {
                return null;
            }
            SeriesKey series = new SeriesKey(parts[2], parts[3], parts[4], parts[5]);
            return new SeriesWindow(
                    series, Long.parseLong(parts[1]), parts[0].equals(LATE_SERIES_WINDOW));
        }
    }

    /** One endpoint's window at one resolution. */
    record EndpointWindow(RunKey run, long resolutionMs, long startMs) {
        String encode() {
            return String.join(
                    SEP,
                    ENDPOINT_WINDOW,
                    Long.toString(resolutionMs),
                    Long.toString(startMs),
                    runPart(run));
        }

        long endMs() {
            return startMs + resolutionMs;
        }

        static EndpointWindow parse(String key) {
            String[] parts = key.split(SEP, -1);
            if (!parts[0].equals(ENDPOINT_WINDOW)) {
                return null;
            }
            return new EndpointWindow(
                    new RunKey(parts[3], parts[4], parts[5]),
                    Long.parseLong(parts[1]),
                    Long.parseLong(parts[2]));
        }
    }

    /** The whole run of an endpoint. */
    static String run(RunKey run) {
        return RUN + SEP + runPart(run);
    }

    /** The run a stored key names, or null when it names something else. */
    static RunKey parseRun(String key) {
        String[] parts = key.split(SEP, -1);
        if (!parts[0].equals(RUN)) {
            return null;
        }
        return new RunKey(parts[1], parts[2], parts[3]);
    }

    private static String runPart(RunKey run) {
        return String.join(SEP, run.getRunId(), run.getScenario(), run.getEndpoint());
    }
}
