package io.loadstream.producers.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads scenario files. Text values may refer to variables given at load time, such as the base URL
 * of the service under test; every mistake in a file, from YAML syntax to a negative rate, is a
 * {@link ScenarioException} naming the file, line, column and field.
 *
 * <pre>{@code
 * Scenario spike =
 *         ScenarioLoader.load(
 *                 Path.of("scenarios/spike.yaml"), Map.of("target", "http://127.0.0.1:8080"));
 * Duration length = spike.executor().totalDuration();
 * }</pre>
 */
public final class ScenarioLoader {

    private static final ObjectReader READER =
            YAMLMapper.builder()
                    .addModule(
                            new SimpleModule("scenario-variables")
                                    .addDeserializer(String.class, new Variables.Deserializer()))
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .build()
                    .readerFor(Scenario.class);

    private ScenarioLoader() {}

    /**
     * Reads the scenario in {@code file}.
     *
     * @param variables values of the {@code ${name}} references in the file's text values
     * @throws ScenarioException when the file cannot be read or is not a valid scenario
     */
    public static Scenario load(Path file, Map<String, String> variables) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file.toString(), 0, 0, "", "no such file", e);
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), 0, 0, "", "cannot read: " + e, e);
        }
        return parse(yaml, file.toString(), variables);
    }

    /**
     * Reads a scenario from YAML text.
     *
     * @param sourceName where the text comes from, for messages: usually the file name
     * @param variables values of the {@code ${name}} references in the text values
     * @throws ScenarioException when the text is not a valid scenario
     */
    public static Scenario parse(String yaml, String sourceName, Map<String, String> variables) {
        YamlPositions positions = YamlPositions.index(yaml, sourceName, Scenario.class);
        if (positions.isEmpty()) {
            throw new ScenarioException(sourceName, 0, 0, "", "holds no scenario");
        }
        try {
            return READER.withAttribute(
                            Variables.ATTRIBUTE,
                            variables == null ? Map.of() : Map.copyOf(variables))
                    .readValue(yaml);
        } catch (JsonMappingException e) {
            throw MappingErrors.describe(e, sourceName, positions);
        } catch (IOException e) {
            throw new ScenarioException(sourceName, 0, 0, "", String.valueOf(e.getMessage()), e);
        }
    }
}
