package io.loadstream.producers.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${name}} in the text values of a scenario file with values given at load time,
 * such as {@code ${target}}, the base URL of the service under test. {@code $${name}} stands for
 * the text {@code ${name}} itself.
 */
final class Variables {

    /** Deserialization attribute under which {@link ScenarioLoader} passes the variables. */
    static final Object ATTRIBUTE = Variables.class;

    private static final Pattern REFERENCE = Pattern.compile("(\\$?)\\$\\{([A-Za-z0-9_.-]+)}");

    private Variables() {}

    /**
     * {@code text} with every {@code ${name}} replaced.
     *
     * @throws IllegalArgumentException naming a variable that {@code variables} lacks
     */
    static String substitute(String text, Map<String, String> variables) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher reference = REFERENCE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (reference.find()) {
            String name = reference.group(2);
            String replacement;
            if (!reference.group(1).isEmpty()) {
                replacement = "${" + name + "}";
            } else if (variables.containsKey(name)) {
                replacement = variables.get(name);
            } else {
                throw new IllegalArgumentException(
                        "unknown variable ${"
                                + name
                                + "} (defined: "
                                + (variables.isEmpty()
                                        ? "none"
                                        : String.join(", ", new TreeSet<>(variables.keySet())))
                                + ")");
            }
            reference.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        return reference.appendTail(result).toString();
    }

    /** Reads every text value of a scenario file with its variables replaced. */
    static final class Deserializer extends StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        Deserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context)
                throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            @SuppressWarnings("unchecked")
            Map<String, String> variables = (Map<String, String>) context.getAttribute(ATTRIBUTE);
            try {
                return text == null
                        ? null
                        : substitute(text, variables == null ? Map.of() : variables);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage());
            }
        }
    }
}
