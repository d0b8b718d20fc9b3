package io.loadstream.schemas.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations the way people write them, on the command line and in YAML files: a number and a
 * unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1.5h}), several in a row ({@code 1m30s}), or
 * ISO-8601 ({@code PT30S}). Units are {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m},
 * {@code h} and {@code d}.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h|d)");

    private static final Map<String, Long> NANOS_PER_UNIT =
            Map.of(
                    "ns", 1L,
                    "us", 1_000L,
                    "ms", 1_000_000L,
                    "s", 1_000_000_000L,
                    "m", 60_000_000_000L,
                    "h", 3_600_000_000_000L,
                    "d", 86_400_000_000_000L);

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException naming the text when it is not a duration
     */
    public static Duration parse(String value) {
        String text = value.trim();
        if (text.regionMatches(true, 0, "P", 0, 1)) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid(value);
            }
        }
        Matcher part = PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (part.lookingAt()) {
            BigDecimal unit = BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)));
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(unit));
            end = part.end();
            part.region(end, text.length());
        }
        if (end == 0 || end != text.length()) {
            throw invalid(value);
        }
        try {
            return Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + value + "' is too long a duration");
        }
    }

    /** Whether {@code text} parses as a duration. */
    public static boolean isDuration(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException(
                "'" + value + "' is not a duration: write for example 500ms, 30s, 2m or 1m30s");
    }

    /**
     * Jackson deserializer for {@link Duration} fields of config classes, accepting the same forms
     * as {@link #parse}: annotate a field with {@code @JsonDeserialize(using =
     * Durations.Deserializer.class)}.
     */
    public static final class Deserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context)
                throws IOException {
            String text = parser.getValueAsString();
            try {
                return parse(text == null ? parser.getText() : text);
            } catch (IllegalArgumentException e) {
                return (Duration)
                        context.handleWeirdStringValue(Duration.class, text, e.getMessage());
            }
        }
    }
}
