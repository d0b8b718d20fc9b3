package io.loadstream.producers.target;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Maps target YAML onto {@link TargetConfig} and turns Jackson's errors into one line that names
 * the source, the line and the field: {@code demo.yaml, line 7, column 5: endpoints[1].median:
 * 'fast' is not a duration}.
 *
 * <p>Endpoints and faults remember where in the file they start ({@link LocatingDeserializer}), so
 * that a check made after reading them, such as a fault naming an unknown endpoint, still points at
 * the right line.
 */
final class TargetConfigReader {

    private static final ObjectReader READER =
            YAMLMapper.builder()
                    .addModule(
                            new SimpleModule()
                                    .setDeserializerModifier(
                                            LocatingDeserializer.modifierFor(
                                                    TargetEndpoint.class, FaultSpec.class)))
                    .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                    .build()
                    .readerFor(TargetConfig.class);

    /** What a mismatched value is in Jackson's message: {@code from Array value}. */
    private static final Pattern FOUND =
            Pattern.compile("from (\\w+) value", Pattern.CASE_INSENSITIVE);

    private TargetConfigReader() {}

    static TargetConfig read(String yaml, String source) {
        Map<Object, JsonLocation> locations = new IdentityHashMap<>();
        TargetConfig config;
        try (JsonParser parser = READER.createParser(yaml)) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException(
                        source + ": it is empty: give at least 'endpoints:'");
            }
            config =
                    READER.withAttribute(LocatingDeserializer.LOCATIONS, locations)
                            .readValue(parser);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof TargetConfig.ElementProblem problem) {
                JsonLocation where = locations.get(problem.element);
                throw new IllegalArgumentException(
                        source + place(where) + ": " + problem.getMessage(), problem);
            }
            throw invalid(e, source);
        } catch (JsonProcessingException e) {
            throw invalid(e, source);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + source + ": " + e, e);
        }
        if (config == null) {
            throw new IllegalArgumentException(
                    source + ": no target in it: give at least 'endpoints:'");
        }
        return config;
    }

    private static IllegalArgumentException invalid(JsonProcessingException e, String source) {
        String path = e instanceof JsonMappingException mapping ? path(mapping) : "";
        String message = source + place(e.getLocation()) + ": " + path + cleaned(e);
        return new IllegalArgumentException(message, e);
    }

    private static String place(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return ", line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The field the error is in, such as {@code faults[2].duration: }, or nothing at the root. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "" : path + ": ";
    }

    /** Jackson's message without the Java type names that mean nothing to the file's author. */
    static String cleaned(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '"
                    + unknown.getPropertyName()
                    + "', expected one of "
                    + unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidFormatException format && format.getValue() != null) {
            String value = "'" + format.getValue() + "'";
            if (format.getTargetType() == FaultSpec.FaultType.class) {
                return value + " is not a fault type: one of " + FaultSpec.FaultType.yamlNames();
            }
            if (format.getTargetType() == Integer.class || format.getTargetType() == int.class) {
                return value + " is not a whole number";
            }
            int reason = message.indexOf("\": ");
            String why = reason < 0 ? message : message.substring(reason + 3);
            if (why.contains(value)) {
                return why;
            }
            return value + (why.startsWith("is ") ? " " : ": ") + why;
        }
        if (e instanceof MismatchedInputException mismatch) {
            if (message.startsWith("Missing required creator property")) {
                return "missing, and it is required";
            }
            Matcher found = FOUND.matcher(message);
            if (mismatch.getTargetType() != null && found.find()) {
                return "expected " + kind(mismatch.getTargetType()) + ", not " + found.group(1);
            }
        }
        if (message.contains("\n")) {
            // a YAML syntax error: keep its explanation, drop the excerpts of the file
            return message.lines()
                    .filter(line -> !line.isBlank() && !line.startsWith(" "))
                    .collect(Collectors.joining(": "));
        }
        return message;
    }

    private static String kind(Class<?> type) {
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type == String.class || type == Duration.class) {
            return "a single value";
        }
        return "fields (name: value)";
    }
}
