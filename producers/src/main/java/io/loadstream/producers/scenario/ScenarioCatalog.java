package io.loadstream.producers.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The scenario files of a folder ({@code *.yaml} and {@code *.yml}, not its subfolders), each
 * loaded so that a listing shows what the scenario does and a broken file shows up with its error
 * rather than going missing.
 *
 * <pre>{@code
 * ScenarioCatalog.Listing listing =
 *         new ScenarioCatalog(ScenarioCatalog.DEFAULT_FOLDER).list(ScenarioType.STRESS, null);
 * listing.scenarios().forEach(entry -> System.out.println(entry.scenario().name()));
 * listing.failures().forEach(failure -> System.err.println(failure.error().getMessage()));
 * }</pre>
 */
public final class ScenarioCatalog {

    /** Where scenario files are kept, relative to the working directory. */
    public static final Path DEFAULT_FOLDER = Path.of("scenarios");

    /**
     * Variables for listing: a stand-in for {@code ${target}}, so that files load without a real
     * target.
     */
    public static final Map<String, String> PLACEHOLDER_VARIABLES =
            Map.of("target", "http://127.0.0.1:8080");

    private final Path folder;
    private final Map<String, String> variables;

    /** A catalog of {@code folder}, loading files with {@link #PLACEHOLDER_VARIABLES}. */
    public ScenarioCatalog(Path folder) {
        this(folder, PLACEHOLDER_VARIABLES);
    }

    /** A catalog of {@code folder}, loading files with {@code variables}. */
    public ScenarioCatalog(Path folder, Map<String, String> variables) {
        this.folder = folder;
        this.variables = Map.copyOf(variables);
    }

    /**
     * Loads every scenario file of the folder, in file name order.
     *
     * @param type only scenarios of this type, or null for all
     * @param severity only scenarios of this severity, or null for all
     * @return the matching scenarios, and every file that failed to load whatever the filters
     * @throws IllegalArgumentException when the folder does not exist
     * @throws UncheckedIOException when the folder cannot be listed
     */
    public Listing list(ScenarioType type, ScenarioSeverity severity) {
        List<Entry> scenarios = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (Path file : files()) {
            try {
                Scenario scenario = ScenarioLoader.load(file, variables);
                if ((type == null || scenario.type() == type)
                        && (severity == null || scenario.severity() == severity)) {
                    scenarios.add(new Entry(file, scenario));
                }
            } catch (ScenarioException e) {
                failures.add(new Failure(file, e));
            }
        }
        return new Listing(scenarios, failures);
    }

    private List<Path> files() {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no scenario folder '" + folder + "'");
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(ScenarioCatalog::isScenarioFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list scenario folder '" + folder + "'", e);
        }
    }

    private static boolean isScenarioFile(Path path) {
        String name = path.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(path);
    }

    /**
     * A scenario and the file it came from.
     *
     * @param file the file, under the catalog's folder
     * @param scenario what it holds
     */
    public record Entry(Path file, Scenario scenario) {}

    /**
     * A file that is not a valid scenario.
     *
     * @param file the file, under the catalog's folder
     * @param error why, with line and field
     */
    public record Failure(Path file, ScenarioException error) {}

    /**
     * What a folder holds.
     *
     * @param scenarios the scenarios that loaded and match the filters, in file name order
     * @param failures the files that did not load, in file name order
     */
    public record Listing(List<Entry> scenarios, List<Failure> failures) {
        public Listing {
            scenarios = List.copyOf(scenarios);
            failures = List.copyOf(failures);
        }
    }
}
