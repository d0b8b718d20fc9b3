package io.loadstream.producers.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Where each field of a YAML document is, by path ({@code executor.stages[1].target}), so that
 * errors found after mapping, by a constructor's checks, can still point at a line and column.
 * Scenario files and rules files share it.
 *
 * <p>Reading the document once for this also reports, before Jackson maps anything, YAML syntax
 * errors, repeated keys, a second document, and fields that the config records do not have. Jackson
 * would report such a field only after calling the record's constructor, whose checks would fail
 * first with a misleading message: a misspelt {@code rate} would be reported as a missing one.
 */
public final class YamlPositions {

    private static final YAMLFactory YAML =
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    private final String source;
    private final Map<String, JsonLocation> values = new HashMap<>();
    private final Map<String, JsonLocation> keys = new HashMap<>();

    private YamlPositions(String source) {
        this.source = source;
    }

    /**
     * Indexes {@code yaml}, a document meant for {@code type}.
     *
     * @throws ScenarioException naming {@code source}, line and column when the text is not YAML,
     *     repeats a key, holds several documents, or has a field that {@code type} does not have
     */
    public static YamlPositions index(String yaml, String source, Class<?> type) {
        YamlPositions positions = new YamlPositions(source);
        try (JsonParser parser = YAML.createParser(yaml)) {
            if (parser.nextToken() != null) {
                positions.value(parser, "", type);
                if (parser.nextToken() != null) {
                    JsonLocation where = parser.currentTokenLocation();
                    throw new ScenarioException(
                            source,
                            where.getLineNr(),
                            where.getColumnNr(),
                            "",
                            "a second YAML document: a file holds one document");
                }
            }
        } catch (IOException e) {
            throw syntaxError(e, source);
        }
        return positions;
    }

    /** Whether the document holds anything at all. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Where the value at {@code path} starts; for a path that is not in the document (a field left
     * out), where the key of its nearest enclosing field is.
     */
    public JsonLocation locate(String path) {
        if (values.containsKey(path)) {
            return values.get(path);
        }
        String parent = path;
        while (!parent.isEmpty()) {
            int cut = Math.max(parent.lastIndexOf('.'), parent.lastIndexOf('['));
            parent = cut < 0 ? "" : parent.substring(0, cut);
            if (keys.containsKey(parent)) {
                return keys.get(parent);
            }
            if (values.containsKey(parent)) {
                return values.get(parent);
            }
        }
        return JsonLocation.NA;
    }

    /** Indexes the value at the parser, of {@code type} (null when unknown), and its children. */
    private void value(JsonParser parser, String path, Type type) throws IOException {
        values.put(path, parser.currentTokenLocation());
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            Map<String, Type> fields = ConfigFields.of(type);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                keys.put(child, parser.currentTokenLocation());
                if (fields != null && !fields.containsKey(name)) {
                    throw unknownField(parser.currentTokenLocation(), path, name, fields);
                }
                parser.nextToken();
                value(
                        parser,
                        child,
                        fields != null ? fields.get(name) : ConfigFields.mapValues(type));
            }
        } else if (parser.currentToken() == JsonToken.START_ARRAY) {
            for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                value(parser, path + "[" + i + "]", ConfigFields.elements(type));
            }
        }
    }

    private ScenarioException unknownField(
            JsonLocation where, String path, String name, Map<String, Type> fields) {
        return new ScenarioException(
                source,
                where.getLineNr(),
                where.getColumnNr(),
                path,
                "unknown field '" + name + "' (known: " + String.join(", ", fields.keySet()) + ")");
    }

    private static ScenarioException syntaxError(IOException e, String source) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            String context = yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")";
            return new ScenarioException(
                    source,
                    yaml.getProblemMark().getLine() + 1,
                    yaml.getProblemMark().getColumn() + 1,
                    "",
                    "not valid YAML: " + yaml.getProblem() + context,
                    e);
        }
        String message =
                e instanceof JsonParseException parse ? parse.getOriginalMessage() : e.getMessage();
        Matcher duplicate = DUPLICATE.matcher(message == null ? "" : message);
        if (duplicate.find()) {
            message = "key '" + duplicate.group(1) + "' is given twice in one mapping";
        }
        JsonLocation where =
                e instanceof JsonParseException parse ? parse.getLocation() : JsonLocation.NA;
        return new ScenarioException(
                source, where.getLineNr(), where.getColumnNr(), "", message, e);
    }
}
