package io.loadstream.producers.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.loadstream.avro.ThresholdRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioLoaderTest {

    private static final String MINIMAL =
            """
            name: minimal
            type: load
            endpoints:
              - name: home
                url: http://localhost:8080/home
            executor: {type: constant-arrival-rate, rate: 10, duration: 30s}
            """;

    @Test
    void shouldReplaceVariablesInUrlsHeadersAndBodies() {
        String yaml =
                """
                name: vars
                type: load
                endpoints:
                  - name: checkout
                    method: post
                    url: ${target}/checkout
                    headers: {Authorization: "Bearer ${token}"}
                    body: '{"user": "${user}"}'
                executor: {type: constant-arrival-rate, rate: 10, duration: 30s}
                """;

        Scenario scenario =
                ScenarioLoader.parse(
                        yaml,
                        "vars.yaml",
                        Map.of("target", "https://shop.test", "token", "t0k", "user", "u-1"));

        EndpointTemplate checkout = scenario.endpoints().get(0);
        assertThat(checkout.url()).isEqualTo("https://shop.test/checkout");
        assertThat(checkout.headers()).containsEntry("Authorization", "Bearer t0k");
        assertThat(checkout.body()).isEqualTo("{\"user\": \"u-1\"}");
        assertThat(checkout.method()).isEqualTo("POST");
    }

    @Test
    void shouldNameAnUnknownVariableAndWhereItIsUsed() {
        String yaml = MINIMAL.replace("http://localhost:8080", "${target}");

        ScenarioException error =
                catchThrowableOfType(
                        ScenarioException.class,
                        () -> ScenarioLoader.parse(yaml, "s.yaml", Map.of("host", "h")));

        assertThat(error.getMessage())
                .isEqualTo(
                        "s.yaml:5:10: endpoints[0].url: unknown variable ${target} (defined:"
                                + " host)");
    }

    @Test
    void shouldKeepAnEscapedReferenceAsText() {
        String yaml = MINIMAL.replace("/home", "/home\n    body: 'cost: $${price}'");

        Scenario scenario = ScenarioLoader.parse(yaml, "s.yaml", Map.of());

        assertThat(scenario.endpoints().get(0).body()).isEqualTo("cost: ${price}");
    }

    @Test
    void shouldReadAMaxThroughputExecutorAndRefuseItARate() {
        String file =
                MINIMAL.replace(
                        "{type: constant-arrival-rate, rate: 10, duration: 30s}",
                        "{type: max-throughput, connections: 64, duration: 30s}");

        ExecutorSpec executor = ScenarioLoader.parse(file, "s.yaml", null).executor();

        assertThat(executor).isEqualTo(ExecutorSpec.maxThroughput(64, Duration.ofSeconds(30)));
        assertThat(executor.summary()).isEqualTo("max-throughput 64 connections for 30s");
        ScenarioException wrong =
                catchThrowableOfType(
                        ScenarioException.class,
                        () ->
                                ScenarioLoader.parse(
                                        file.replace("connections: 64", "rate: 64"),
                                        "s.yaml",
                                        null));
        assertThat(wrong).hasMessageContaining("rate").hasMessageContaining("max-throughput");
    }

    @Test
    void shouldFillInDefaults() {
        Scenario scenario = ScenarioLoader.parse(MINIMAL, "s.yaml", null);

        assertThat(scenario.description()).isEmpty();
        assertThat(scenario.severity()).isEqualTo(ScenarioSeverity.MEDIUM);
        assertThat(scenario.tags()).isEmpty();
        assertThat(scenario.thresholds()).isNull();
        assertThat(scenario.stopWhen()).isNull();
        assertThat(scenario.faults()).isEmpty();
        EndpointTemplate home = scenario.endpoints().get(0);
        assertThat(home.method()).isEqualTo("GET");
        assertThat(home.weight()).isEqualTo(1.0);
        assertThat(home.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(home.headers()).isEmpty();
        assertThat(home.body()).isNull();
        assertThat(home.expectStatus()).isEmpty();
        assertThat(scenario.executor().maxInFlight()).isEqualTo(1000);
    }

    @Test
    void shouldReadAWarmupAndHaveNoneByDefault() {
        Scenario warmed = ScenarioLoader.parse("warmup: 10s\n" + MINIMAL, "s.yaml", null);

        assertThat(warmed.warmup()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ScenarioLoader.parse(MINIMAL, "s.yaml", null).warmup()).isZero();
    }

    @Test
    void shouldReadErrorRatesAsFractionsOrPercentages() {
        Scenario scenario =
                ScenarioLoader.parse(
                        MINIMAL
                                + "thresholds: {errorRate: 2.5%, p95: 200ms}\n"
                                + "stopWhen: {errorRate: 0.1}\n",
                        "s.yaml",
                        Map.of());

        assertThat(scenario.rules("s.yaml"))
                .extracting(ThresholdRule::getMetric, ThresholdRule::getCritical)
                .containsExactly(tuple("p95", 200_000.0), tuple("error_rate", 0.025));
        assertThat(scenario.stopWhen().errorRate()).isEqualTo(0.1);
        assertThat(scenario.stopWhen().window()).isEqualTo(StopCondition.DEFAULT_WINDOW);
    }

    @Test
    void shouldRejectAnErrorRateAboveOne() {
        ScenarioException error =
                catchThrowableOfType(
                        ScenarioException.class,
                        () ->
                                ScenarioLoader.parse(
                                        MINIMAL + "thresholds: {errorRate: 5}\n",
                                        "s.yaml",
                                        Map.of()));

        assertThat(error.getMessage())
                .isEqualTo(
                        "s.yaml:7:25: thresholds.errorRate: must be between 0 and 1 (0% and 100%),"
                                + " not 5");
    }

    @Test
    void shouldSayWhenAnEndpointNameIsRepeated() {
        String yaml =
                MINIMAL.replace(
                        "executor:", "  - {name: home, url: 'http://localhost:8080/'}\nexecutor:");

        ScenarioException error =
                catchThrowableOfType(
                        ScenarioException.class,
                        () -> ScenarioLoader.parse(yaml, "s.yaml", Map.of()));

        assertThat(error.path()).isEqualTo("endpoints[1].name");
        assertThat(error.line()).isEqualTo(6);
    }

    @Test
    void shouldKeepTheLoadedListsUnmodifiable() {
        Scenario scenario = ScenarioLoader.parse(MINIMAL + "tags: [a, b]\n", "s.yaml", Map.of());

        assertThat(scenario.tags()).isEqualTo(List.of("a", "b"));
        assertThat(scenario.tags()).isUnmodifiable();
        assertThat(scenario.endpoints()).isUnmodifiable();
    }
}
