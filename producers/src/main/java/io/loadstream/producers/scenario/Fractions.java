package io.loadstream.producers.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;

/**
 * Reads shares of requests, such as error rates, written as a fraction ({@code 0.05}) or a
 * percentage ({@code 5%}). Checking that the share lies between 0 and 1 is left to the config
 * class, so that the message names its field.
 */
public final class Fractions {

    private Fractions() {}

    /**
     * Parses {@code 0.05} or {@code 5%}.
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static double parse(String text) {
        String value = text.strip();
        try {
            if (value.endsWith("%")) {
                return Double.parseDouble(value.substring(0, value.length() - 1).strip()) / 100;
            }
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a fraction: write for example 0.05 or 5%");
        }
    }

    /**
     * Jackson deserializer for {@code Double} fields holding a share: annotate the field with
     * {@code @JsonDeserialize(using = Fractions.Deserializer.class)}.
     */
    public static final class Deserializer extends JsonDeserializer<Double> {
        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context)
                throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT
                    || parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDoubleValue();
            }
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw JsonMappingException.from(
                        parser, "expected a fraction such as 0.05 or 5%, not " + parser.getText());
            }
            try {
                return parse(parser.getText());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage());
            }
        }
    }
}
