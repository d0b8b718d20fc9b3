package io.loadstream.producers.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.producers.scenario.MappingErrors;
import io.loadstream.producers.scenario.ScenarioException;
import io.loadstream.producers.scenario.YamlPositions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads rules files into the {@link ThresholdRule}s that {@code rules apply} publishes. Every
 * mistake, from YAML syntax to an unknown metric or a warning level past the critical one, is a
 * {@link ScenarioException} naming the file, line, column and field, as for scenario files. Each
 * rule's {@code source} says where it was written: {@code rules rules.yaml:12}.
 *
 * <pre>{@code
 * List<ThresholdRule> rules = RulesLoader.load(Path.of("rules/example-rules.yaml"));
 * }</pre>
 */
public final class RulesLoader {

    private static final ObjectReader READER =
            YAMLMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .build()
                    .readerFor(RulesFile.class);

    private RulesLoader() {}

    /**
     * The rules in {@code file}.
     *
     * @throws ScenarioException when the file cannot be read or holds a mistake
     */
    public static List<ThresholdRule> load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file.toString(), 0, 0, "", "no such file", e);
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), 0, 0, "", "cannot read: " + e, e);
        }
        return parse(yaml, file.toString());
    }

    /**
     * The rules in YAML text.
     *
     * @param sourceName where the text comes from, for messages and the rules' {@code source}
     * @throws ScenarioException when the text holds a mistake
     */
    public static List<ThresholdRule> parse(String yaml, String sourceName) {
        YamlPositions positions = YamlPositions.index(yaml, sourceName, RulesFile.class);
        if (positions.isEmpty()) {
            throw new ScenarioException(sourceName, 0, 0, "", "holds no rules");
        }
        RulesFile file;
        try {
            file = READER.readValue(yaml);
        } catch (JsonMappingException e) {
            throw MappingErrors.describe(e, sourceName, positions);
        } catch (IOException e) {
            throw new ScenarioException(sourceName, 0, 0, "", String.valueOf(e.getMessage()), e);
        }
        List<ThresholdRule> rules = new ArrayList<>();
        for (int i = 0; i < file.rules().size(); i++) {
            JsonLocation where = positions.locate("rules[" + i + "]");
            String source =
                    "rules " + sourceName + (where.getLineNr() > 0 ? ":" + where.getLineNr() : "");
            rules.add(file.rules().get(i).toRule(source));
        }
        return rules;
    }
}
