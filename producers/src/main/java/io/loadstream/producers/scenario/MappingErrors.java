package io.loadstream.producers.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.loadstream.schemas.config.Durations;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns Jackson's mapping failures into {@link ScenarioException}s that name the file, line, column
 * and field path, and say what is wrong in the words of the file rather than of Java types.
 */
public final class MappingErrors {

    private static final Pattern MISSING =
            Pattern.compile("Missing required creator property '(.*?)'");

    private MappingErrors() {}

    /**
     * {@code e} as a {@link ScenarioException} naming {@code source} and the line, column and path
     * of the field at fault, found in {@code positions}.
     */
    public static ScenarioException describe(
            JsonMappingException e, String source, YamlPositions positions) {
        String path = path(e.getPath());
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known =
                    unknown.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
            String parent = path(e.getPath().subList(0, e.getPath().size() - 1));
            String reason =
                    "unknown field '" + unknown.getPropertyName() + "' (known: " + known + ")";
            return at(source, e.getLocation(), positions.locate(path), parent, reason, e);
        }
        String reason;
        if (e instanceof ValueInstantiationException
                && e.getCause() instanceof InvalidFieldException invalid) {
            path = join(path, invalid.field());
            reason = invalid.reason();
        } else if (e instanceof ValueInstantiationException && e.getCause() != null) {
            reason = e.getCause().getMessage();
        } else if (e instanceof InvalidFormatException format) {
            reason = badValue(format.getTargetType(), String.valueOf(format.getValue()));
        } else if (e instanceof MismatchedInputException mismatch) {
            Matcher missing = MISSING.matcher(e.getOriginalMessage());
            if (missing.find()) {
                path =
                        path.equals(missing.group(1)) || path.endsWith("." + missing.group(1))
                                ? path
                                : join(path, missing.group(1));
                reason = "is required";
            } else {
                reason = "expected " + kind(mismatch.getTargetType());
            }
        } else {
            reason = e.getOriginalMessage();
        }
        return at(source, positions.locate(path), e.getLocation(), path, reason, e);
    }

    private static ScenarioException at(
            String source,
            JsonLocation preferred,
            JsonLocation fallback,
            String path,
            String reason,
            JsonMappingException cause) {
        JsonLocation where = preferred != null && preferred.getLineNr() > 0 ? preferred : fallback;
        int line = where == null ? 0 : where.getLineNr();
        int column = where == null ? 0 : where.getColumnNr();
        return new ScenarioException(source, line, column, path, reason, cause);
    }

    private static String badValue(Class<?> type, String value) {
        if (type == Duration.class) {
            try {
                Durations.parse(value);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        if (type != null && type.isEnum()) {
            return "'" + value + "' is not one of " + EnumIds.list(type);
        }
        return "expected " + kind(type) + ", not '" + value + "'";
    }

    /** What a value of {@code type} looks like in a YAML file. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        } else if (type.isEnum()) {
            return "one of " + EnumIds.list(type);
        } else if (type == Duration.class) {
            return "a duration such as 500ms, 30s or 2m";
        } else if (List.of(int.class, long.class, Integer.class, Long.class).contains(type)) {
            return "a whole number";
        } else if (type == double.class
                || type == float.class
                || Number.class.isAssignableFrom(type)) {
            return "a number";
        } else if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        } else if (type == String.class) {
            return "text";
        } else if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        } else if (Map.class.isAssignableFrom(type)) {
            return "a mapping (key: value)";
        }
        return "a mapping of fields (field: value)";
    }

    private static String path(List<JsonMappingException.Reference> references) {
        String path = "";
        for (JsonMappingException.Reference reference : references) {
            path =
                    reference.getFieldName() != null
                            ? join(path, reference.getFieldName())
                            : path + "[" + reference.getIndex() + "]";
        }
        return path;
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
