package io.loadstream.producers.rules;

import io.loadstream.producers.scenario.InvalidFieldException;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a rule judges: windows of one of analyze's three resolutions, or the whole run so far (its
 * final run summary). Written {@code 1s}, {@code 10s}, {@code 1m} or {@code run} in rules files;
 * {@code resolutionMs} 1000, 10000, 60000 or 0 on the topic.
 */
public enum RuleResolution {
    SECOND("1s", 1_000),
    TEN_SECONDS("10s", 10_000),
    MINUTE("1m", 60_000),
    RUN("run", 0);

    /** Used when a rules file gives none, as the {@code ThresholdRule} schema's default. */
    public static final RuleResolution DEFAULT = SECOND;

    private final String id;
    private final long millis;

    RuleResolution(String id, long millis) {
        this.id = id;
        this.millis = millis;
    }

    /** As files write it: {@code 10s}. */
    public String id() {
        return id;
    }

    /** As the topic holds it: 10000, or 0 for the run. */
    public long millis() {
        return millis;
    }

    /**
     * The resolution written {@code text}; {@link #DEFAULT} when null.
     *
     * @throws InvalidFieldException naming {@code resolution} when it is not one of the four
     */
    static RuleResolution parse(String text) {
        if (text == null) {
            return DEFAULT;
        }
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(r -> r.id.equals(wanted) || (r == MINUTE && wanted.equals("60s")))
                .findFirst()
                .orElseThrow(
                        () ->
                                new InvalidFieldException(
                                        "resolution",
                                        "'"
                                                + text
                                                + "' is not a resolution: use 1s, 10s or 1m"
                                                + " (windows analyze computes) or run (the whole"
                                                + " run)"));
    }

    /** The resolution of {@code resolutionMs} on the topic, as files write it; ms for others. */
    public static String describe(long resolutionMs) {
        return Arrays.stream(values())
                .filter(r -> r.millis == resolutionMs)
                .map(RuleResolution::id)
                .findFirst()
                .orElse(resolutionMs + "ms");
    }
}
