package io.loadstream.analytics.aggregate;

import io.loadstream.avro.RunKey;
import io.loadstream.avro.SeriesKey;

/**
 * Keys of {@link AggregateStore}s, encoded as text with NUL separators: a window of one generator's
 * series (stage 1), a window of one endpoint at one resolution (stage 2), the whole run of one
 * endpoint, or one generator of a run (stage 1's clock per generator).
 *
 * <p>The encoding is injective whatever the names hold: a control character in a name is escaped
 * (U+0001 followed by the character plus 0x40), so a name holding the separator cannot read back as
 * two names. {@code TimingCheck} and {@code PartialCheck} refuse such names anyway; the escaping
 * makes the stores safe without relying on that.
 */
final class AggregateKeys {

    private static final char SEP_CHAR = '\0';
    private static final String SEP = "\0";
    private static final char ESCAPE = '\u0001';
    private static final char LAST_CONTROL = 0x1f;
    private static final String GENERATOR = "G";
    private static final String SERIES_WINDOW = "S";
    private static final String LATE_SERIES_WINDOW = "L";
    private static final String WARMUP_SERIES_WINDOW = "U";
    private static final String RUN_WARMUP = "V";
    private static final String ENDPOINT_WINDOW = "W";
    private static final String RUN = "R";
    private static final String RUN_GENERATOR = "E";

    private AggregateKeys() {}

    /**
     * What one generator sent to one endpoint in one window since stage 1 last published it; {@code
     * late} holds the requests that came after the window had closed, {@code warmup} those of the
     * generator's warm-up (never late: they are in no window).
     */
    record SeriesWindow(SeriesKey series, long startMs, boolean late, boolean warmup) {

        SeriesWindow {
            if (late && warmup) {
                throw new IllegalArgumentException("a warm-up window is never late");
            }
        }

        /** A window of requests after the warm-up. */
        SeriesWindow(SeriesKey series, long startMs, boolean late) {
            this(series, startMs, late, false);
        }

        String encode() {
            return join(
                    warmup ? WARMUP_SERIES_WINDOW : late ? LATE_SERIES_WINDOW : SERIES_WINDOW,
                    Long.toString(startMs),
                    series.getRunId(),
                    series.getScenario(),
                    series.getEndpoint(),
                    series.getGeneratorId());
        }

        static SeriesWindow parse(String key) {
            String[] parts = split(key);
            if (!parts[0].equals(SERIES_WINDOW)
                    && !parts[0].equals(LATE_SERIES_WINDOW)
                    && !parts[0].equals(WARMUP_SERIES_WINDOW)) {
                return null;
            }
            SeriesKey series = new SeriesKey(parts[2], parts[3], parts[4], parts[5]);
            return new SeriesWindow(
                    series,
                    Long.parseLong(parts[1]),
                    parts[0].equals(LATE_SERIES_WINDOW),
                    parts[0].equals(WARMUP_SERIES_WINDOW));
        }
    }

    /** One endpoint's window at one resolution. */
    record EndpointWindow(RunKey run, long resolutionMs, long startMs) {
        String encode() {
            return join(
                    ENDPOINT_WINDOW,
                    Long.toString(resolutionMs),
                    Long.toString(startMs),
                    run.getRunId(),
                    run.getScenario(),
                    run.getEndpoint());
        }

        long endMs() {
            return startMs + resolutionMs;
        }

        static EndpointWindow parse(String key) {
            String[] parts = split(key);
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
        return join(RUN, run.getRunId(), run.getScenario(), run.getEndpoint());
    }

    /** The warm-up requests of the whole run of an endpoint, kept apart from its total. */
    static String runWarmup(RunKey run) {
        return join(RUN_WARMUP, run.getRunId(), run.getScenario(), run.getEndpoint());
    }

    /** The run a stored key names, or null when it names something else. */
    static RunKey parseRun(String key) {
        String[] parts = split(key);
        if (!parts[0].equals(RUN) || parts.length != 4) {
            return null;
        }
        return new RunKey(parts[1], parts[2], parts[3]);
    }

    /** One generator of an endpoint's run, as stage 2 records that it has ended. */
    record RunGenerator(RunKey run, String generatorId) {
        String encode() {
            return join(
                    RUN_GENERATOR,
                    run.getRunId(),
                    run.getScenario(),
                    run.getEndpoint(),
                    generatorId);
        }

        /** The run's generator {@code key} names, or null when it names something else. */
        static RunGenerator parse(String key) {
            String[] parts = split(key);
            if (!parts[0].equals(RUN_GENERATOR) || parts.length != 5) {
                return null;
            }
            return new RunGenerator(new RunKey(parts[1], parts[2], parts[3]), parts[4]);
        }
    }

    /** One generator of a run. */
    record Generator(String runId, String generatorId) {
        String encode() {
            return join(GENERATOR, runId, generatorId);
        }

        /** The generator {@code key} names, or null when it names something else. */
        static Generator parse(String key) {
            String[] parts = split(key);
            if (!parts[0].equals(GENERATOR) || parts.length != 3) {
                return null;
            }
            return new Generator(parts[1], parts[2]);
        }
    }

    private static String join(String... parts) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                key.append(SEP_CHAR);
            }
            for (int at = 0; at < parts[i].length(); at++) {
                char c = parts[i].charAt(at);
                if (c <= LAST_CONTROL) {
                    key.append(ESCAPE).append((char) (c + 0x40));
                } else {
                    key.append(c);
                }
            }
        }
        return key.toString();
    }

    private static String[] split(String key) {
        String[] parts = key.split(SEP, -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = unescape(parts[i]);
        }
        return parts;
    }

    private static String unescape(String part) {
        if (part.indexOf(ESCAPE) < 0) {
            return part;
        }
        StringBuilder plain = new StringBuilder(part.length());
        for (int at = 0; at < part.length(); at++) {
            char c = part.charAt(at);
            if (c == ESCAPE && at + 1 < part.length()) {
                plain.append((char) (part.charAt(++at) - 0x40));
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }
}
