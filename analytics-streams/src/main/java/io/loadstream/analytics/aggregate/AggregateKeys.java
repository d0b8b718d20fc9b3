package io.loadstream.analytics.aggregate;

import io.loadstream.avro.RunKey;

/**
 * Keys of {@link AggregateStore}: a window of one endpoint, or the whole run of one endpoint,
 * encoded as text with NUL separators (names never contain NUL).
 */
record AggregateKeys() {

    private static final char SEP = '\0';
    private static final String WINDOW = "W";
    private static final String RUN = "R";

    /** A window of an endpoint. */
    record Window(RunKey run, long startMs) {
        String encode() {
            return WINDOW + SEP + startMs + SEP + runPart(run);
        }
    }

    static String run(RunKey run) {
        return RUN + SEP + runPart(run);
    }

    private static String runPart(RunKey run) {
        return run.getRunId() + SEP + run.getScenario() + SEP + run.getEndpoint();
    }

    /** The window a stored key names, or null when it names a run. */
    static Window parseWindow(String key) {
        String[] parts = key.split(String.valueOf(SEP), -1);
        if (!parts[0].equals(WINDOW)) {
            return null;
        }
        return new Window(new RunKey(parts[2], parts[3], parts[4]), Long.parseLong(parts[1]));
    }

    /** The run a stored key names, or null when it names a window. */
    static RunKey parseRun(String key) {
        String[] parts = key.split(String.valueOf(SEP), -1);
        if (!parts[0].equals(RUN)) {
            return null;
        }
        return new RunKey(parts[1], parts[2], parts[3]);
    }
}
