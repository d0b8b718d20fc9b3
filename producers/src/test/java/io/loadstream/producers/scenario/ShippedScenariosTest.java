package io.loadstream.producers.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loadstream.avro.ThresholdRule;
import io.loadstream.producers.target.FaultSpec;
import io.loadstream.schemas.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The worked examples in the repository's {@code scenarios/} folder. */
class ShippedScenariosTest {

    static final Path FOLDER = Path.of("..", "scenarios");
    private static final String TARGET = "http://demo.test:8080";

    private static Scenario load(String file) {
        return ScenarioLoader.load(FOLDER.resolve(file), Map.of("target", TARGET));
    }

    @ParameterizedTest
    @CsvSource({
        "load-steady.yaml, load, constant-arrival-rate, 2m",
        "stress-ramp.yaml, stress, ramping-arrival-rate, 5m",
        "spike.yaml, spike, ramping-arrival-rate, 1m44s",
        "soak.yaml, soak, constant-arrival-rate, 1h",
        "volume.yaml, volume, constant-arrival-rate, 5m",
        "endurance.yaml, endurance, constant-vus, 4h"
    })
    void shouldLoadEachExampleWithItsTypeExecutorAndLength(
            String file, String type, String executor, String duration) {
        Scenario scenario = load(file);

        assertThat(scenario.name()).isEqualTo(file.replace(".yaml", ""));
        assertThat(scenario.type()).isEqualTo(ScenarioType.of(type));
        assertThat(scenario.executor().type().id()).isEqualTo(executor);
        assertThat(scenario.executor().totalDuration()).isEqualTo(Durations.parse(duration));
        assertThat(scenario.description()).isNotBlank();
        assertThat(scenario.tags()).isNotEmpty();
        assertThat(scenario.endpoints())
                .allSatisfy(endpoint -> assertThat(endpoint.url()).startsWith(TARGET + "/"));
    }

    @Test
    void shouldShipOneExamplePerTypeThatAllLoad() {
        ScenarioCatalog.Listing listing = new ScenarioCatalog(FOLDER).list(null, null);

        assertThat(listing.failures()).isEmpty();
        assertThat(listing.scenarios())
                .extracting(entry -> entry.scenario().type())
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(ScenarioType.class));
    }

    @Test
    void shouldWeightTheSteadyLoadThreeTwoOne() {
        Scenario scenario = load("load-steady.yaml");

        assertThat(
                        scenario.endpoints().stream()
                                .collect(
                                        Collectors.toMap(
                                                EndpointTemplate::name, EndpointTemplate::weight)))
                .isEqualTo(Map.of("home", 3.0, "search", 2.0, "checkout", 1.0));
        assertThat(scenario.executor().rate()).isEqualTo(200);
        assertThat(scenario.rules("scenario load-steady.yaml"))
                .extracting(
                        ThresholdRule::getRuleId,
                        ThresholdRule::getWarning,
                        ThresholdRule::getCritical)
                .containsExactly(
                        tuple("scenario:load-steady:p95", null, 250_000.0),
                        tuple("scenario:load-steady:p99", 300_000.0, 500_000.0),
                        tuple("scenario:load-steady:error_rate", 0.005, 0.01),
                        tuple("scenario:load-steady:throughput:home", null, 95.0),
                        tuple("scenario:load-steady:throughput:search", null, 190 * (2 / 6.0)),
                        tuple("scenario:load-steady:throughput:checkout", null, 190 * (1 / 6.0)));
        assertThat(scenario.warmup()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldStressUpToTheBreakingPoint() {
        Scenario scenario = load("stress-ramp.yaml");

        assertThat(scenario.executor().summary())
                .isEqualTo("ramping-arrival-rate 0→2000 req/s over 5m");
        assertThat(scenario.stopWhen().errorRate()).isEqualTo(0.05);
        assertThat(scenario.stopWhen().p99()).isEqualTo(Duration.ofSeconds(1));
        assertThat(scenario.stopWhen().window()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldSpikeTenfoldForTenSecondsWithFaults() {
        Scenario scenario = load("spike.yaml");

        ExecutorSpec executor = scenario.executor();
        assertThat(executor.startRate()).isEqualTo(50);
        assertThat(executor.peak()).isEqualTo(500);
        assertThat(executor.stages()).contains(new Stage(Duration.ofSeconds(10), 500.0));
        assertThat(executor.stages().get(executor.stages().size() - 1).target()).isEqualTo(50);
        assertThat(scenario.faults())
                .extracting(FaultSpec::type)
                .containsExactly(
                        FaultSpec.FaultType.LATENCY_SPIKE, FaultSpec.FaultType.ERROR_BURST);
    }

    @Test
    void shouldPostALargeJsonBodyInTheVolumeScenario() throws Exception {
        EndpointTemplate checkout = load("volume.yaml").endpoints().get(0);

        assertThat(checkout.method()).isEqualTo("POST");
        assertThat(checkout.body()).hasSizeGreaterThan(1500);
        assertThat(new ObjectMapper().readTree(checkout.body()).get("lines")).hasSize(20);
    }

    @Test
    void shouldPaceTheEnduranceVirtualUsers() {
        ExecutorSpec executor = load("endurance.yaml").executor();

        assertThat(executor.type().openModel()).isFalse();
        assertThat(executor.vus()).isEqualTo(50);
        assertThat(executor.pacing()).isEqualTo(Duration.ofSeconds(1));
        assertThat(executor.maxInFlight()).isNull();
    }
}
