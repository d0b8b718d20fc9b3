package io.loadstream.producers.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.avro.Comparator;
import io.loadstream.schemas.rules.RuleMetric;
import java.io.IOException;

/**
 * A threshold's levels as a file writes them, before the metric says their unit: a single value is
 * the critical level ({@code p99: 500ms}), a mapping gives either level or both ({@code p99:
 * {warning: 300ms, critical: 500ms}}). {@link #values} reads them in the metric's unit and checks
 * them.
 *
 * @param warning the warning level's text, or null for none
 * @param critical the critical level's text, or null for none
 */
@JsonDeserialize(using = ThresholdLevels.Deserializer.class)
public record ThresholdLevels(String warning, String critical) {

    /**
     * The levels in the metric's unit.
     *
     * @param warning the warning threshold, or null
     * @param critical the critical threshold, or null; at least one of the two is set
     */
    public record Values(Double warning, Double critical) {}

    /** A single value: the critical level only. */
    public static ThresholdLevels critical(String critical) {
        return new ThresholdLevels(null, critical);
    }

    /**
     * Reads the levels in {@code metric}'s unit and checks that there is at least one, and that the
     * warning level comes before the critical one: below it for {@link Comparator#ABOVE}, above it
     * for {@link Comparator#BELOW}.
     *
     * @param field the field the levels are written under, for messages: {@code p99}, {@code above}
     * @throws InvalidFieldException naming {@code field} (or its {@code warning} or {@code
     *     critical}) and what is wrong
     */
    public Values values(RuleMetric metric, Comparator comparator, String field) {
        if (warning == null && critical == null) {
            throw new InvalidFieldException(
                    field, "no threshold: give a value, or warning: and/or critical:");
        }
        boolean single = warning == null;
        Double warningValue = warning == null ? null : read(metric, warning, field + ".warning");
        Double criticalValue =
                critical == null
                        ? null
                        : read(metric, critical, single ? field : field + ".critical");
        if (warningValue != null && criticalValue != null) {
            boolean ordered =
                    comparator == Comparator.ABOVE
                            ? warningValue < criticalValue
                            : warningValue > criticalValue;
            if (!ordered) {
                String side = comparator == Comparator.ABOVE ? "below" : "above";
                throw new InvalidFieldException(
                        field + ".warning",
                        "warning "
                                + warning
                                + " must be "
                                + side
                                + " critical "
                                + critical
                                + ": a "
                                + (comparator == Comparator.ABOVE ? "rising" : "falling")
                                + " "
                                + metric.id()
                                + " passes the warning level first");
            }
        }
        return new Values(warningValue, criticalValue);
    }

    private static double read(RuleMetric metric, String text, String field) {
        try {
            return ThresholdValues.parse(metric, text);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field, e.getMessage());
        }
    }

    /** Reads a single value, or a mapping of {@code warning} and {@code critical}. */
    static final class Deserializer extends JsonDeserializer<ThresholdLevels> {
        @Override
        public ThresholdLevels deserialize(JsonParser parser, DeserializationContext context)
                throws IOException {
            if (parser.currentToken().isScalarValue()
                    && parser.currentToken() != JsonToken.VALUE_NULL) {
                return critical(parser.getText());
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw JsonMappingException.from(
                        parser,
                        "expected a threshold such as 500ms, or {warning: 300ms, critical: 500ms}");
            }
            String warning = null;
            String critical = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!value.isScalarValue() || value == JsonToken.VALUE_NULL) {
                    throw JsonMappingException.from(
                            parser, name + ": expected a threshold such as 500ms, 1% or 200");
                }
                switch (name) {
                    case "warning" -> warning = parser.getText();
                    case "critical" -> critical = parser.getText();
                    default ->
                            throw JsonMappingException.from(
                                    parser,
                                    "unknown field '" + name + "' (known: warning, critical)");
                }
            }
            return new ThresholdLevels(warning, critical);
        }
    }
}
