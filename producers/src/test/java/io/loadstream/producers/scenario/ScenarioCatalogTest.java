package io.loadstream.producers.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioCatalogTest {

    private static final ScenarioCatalog SHIPPED = new ScenarioCatalog(ShippedScenariosTest.FOLDER);

    @Test
    void shouldFilterByType() {
        assertThat(names(SHIPPED.list(ScenarioType.STRESS, null))).containsExactly("stress-ramp");
    }

    @Test
    void shouldFilterBySeverity() {
        assertThat(names(SHIPPED.list(null, ScenarioSeverity.HIGH)))
                .containsExactly("spike", "volume");
    }

    @Test
    void shouldFilterByTypeAndSeverityTogether() {
        assertThat(names(SHIPPED.list(ScenarioType.SPIKE, ScenarioSeverity.HIGH)))
                .containsExactly("spike");
        assertThat(names(SHIPPED.list(ScenarioType.SPIKE, ScenarioSeverity.LOW))).isEmpty();
    }

    @Test
    void shouldListInFileNameOrderWithTheFiles() {
        ScenarioCatalog.Listing listing = SHIPPED.list(null, null);

        assertThat(listing.scenarios())
                .extracting(entry -> entry.file().getFileName().toString())
                .containsExactly(
                        "endurance.yaml",
                        "load-steady.yaml",
                        "soak.yaml",
                        "spike.yaml",
                        "stress-ramp.yaml",
                        "volume.yaml");
    }

    @Test
    void shouldReportBrokenFilesWhateverTheFilter(@TempDir Path folder) throws IOException {
        Files.copy(ShippedScenariosTest.FOLDER.resolve("soak.yaml"), folder.resolve("soak.yaml"));
        Files.copy(
                InvalidScenarioTest.FOLDER.resolve("negative-rate.yaml"),
                folder.resolve("broken.yml"));
        Files.writeString(folder.resolve("README.md"), "not a scenario");

        ScenarioCatalog.Listing listing = new ScenarioCatalog(folder).list(ScenarioType.LOAD, null);

        assertThat(listing.scenarios()).isEmpty();
        assertThat(listing.failures()).hasSize(1);
        ScenarioCatalog.Failure failure = listing.failures().get(0);
        assertThat(failure.file()).isEqualTo(folder.resolve("broken.yml"));
        assertThat(failure.error().getMessage())
                .isEqualTo(
                        folder.resolve("broken.yml")
                                + ":9:9: executor.rate: must be greater than 0, not -5");
    }

    @Test
    void shouldRejectAFolderThatDoesNotExist(@TempDir Path folder) {
        assertThatThrownBy(() -> new ScenarioCatalog(folder.resolve("missing")).list(null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no scenario folder");
    }

    private static java.util.List<String> names(ScenarioCatalog.Listing listing) {
        assertThat(listing.failures()).isEmpty();
        return listing.scenarios().stream().map(entry -> entry.scenario().name()).toList();
    }
}
