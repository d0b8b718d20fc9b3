package io.loadstream.producers.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.EndpointChooser;
import io.loadstream.producers.http.HttpClientSettings;
import io.loadstream.producers.http.HttpDriver;
import io.loadstream.producers.http.HttpEndpoint;
import io.loadstream.producers.scenario.ExecutorType;
import io.loadstream.producers.scenario.Scenario;
import io.loadstream.producers.scenario.ScenarioLoader;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.producers.synthetic.SyntheticDriver;
import io.loadstream.producers.target.TargetConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoadPlanTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final List<LatencyProfile> AB = LatencyProfile.parseList("a,b");

    private static final String SCENARIO =
            """
            name: shop
            type: stress
            endpoints:
              - {name: home, url: "${target}/home", weight: %s}
              - name: checkout
                method: POST
                url: ${target}/checkout
                body: '{"cart": 1}'
                weight: %s
                expectStatus: [201]
            executor: {type: constant-arrival-rate, rate: 50, duration: 10s}
            stopWhen: {errorRate: 5%%}
            """;

    @Test
    void shouldCallSyntheticEndpointsInTurnAtAConstantRate() {
        LoadPlan plan = LoadPlan.synthetic("synthetic", AB, 100, MINUTE, 7);

        assertThat(plan.endpoints()).containsExactly("a", "b");
        assertThat(plan.executor().type()).isEqualTo(ExecutorType.CONSTANT_ARRIVAL_RATE);
        assertThat(plan.executor().peak()).isEqualTo(100);
        assertThat(plan.stopWhen()).isEmpty();
        assertThat(picks(plan.chooser(), 5)).containsExactly(0, 1, 0, 1, 0);
        try (Driver driver = plan.openDriver()) {
            assertThat(driver).isInstanceOf(SyntheticDriver.class);
            assertThat(((SyntheticDriver) driver).endpoints()).isEqualTo(AB);
        }
        assertThat(plan.summary())
                .isEqualTo(
                        "scenario synthetic, constant-arrival-rate 100 req/s for 1m, endpoints a,"
                                + " b (synthetic, seed 7)");
    }

    @Test
    void shouldGiveEachRunAChooserOfItsOwn() {
        LoadPlan plan = LoadPlan.synthetic("synthetic", AB, 100, MINUTE, 7);
        plan.chooser().next();

        assertThat(plan.chooser().next()).isZero();
    }

    @Test
    void shouldKeepAnUnmodifiableCopyOfTheEndpoints() {
        List<String> names = new ArrayList<>(List.of("a", "b"));
        LoadPlan plan = LoadPlan.synthetic("synthetic", AB, 100, MINUTE, 7);
        LoadPlan copy =
                new LoadPlan(
                        "s",
                        plan.executor(),
                        names,
                        List.of(1, 1),
                        plan.driver(),
                        plan.stopWhen(),
                        "");

        names.clear();

        assertThat(copy.endpoints()).containsExactly("a", "b");
    }

    @Test
    void shouldRejectMissingOrRepeatedEndpoints() {
        assertThatThrownBy(() -> LoadPlan.synthetic("s", List.of(), 100, MINUTE, 1))
                .hasMessage("at least one endpoint is needed");
        List<LatencyProfile> twice = List.of(AB.get(0), AB.get(0));
        assertThatThrownBy(() -> LoadPlan.synthetic("s", twice, 100, MINUTE, 1))
                .hasMessage("endpoint 'a' is given twice");
        assertThatThrownBy(() -> LoadPlan.synthetic(" ", AB, 100, MINUTE, 1))
                .hasMessage("scenario must not be empty");
    }

    @Test
    void shouldRejectANonPositiveRateOrDuration() {
        assertThatThrownBy(() -> LoadPlan.synthetic("s", AB, 0, MINUTE, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rate: must be greater than 0, not 0");
        assertThatThrownBy(() -> LoadPlan.synthetic("s", AB, 100, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration: must be greater than 0, not PT0S");
    }

    @Test
    void shouldMakeHttpRequestsToAScenariosEndpointsByTheirWeights() {
        LoadPlan plan = LoadPlan.fromScenario(scenario("3", "1"), HttpClientSettings.defaults());

        assertThat(plan.scenario()).isEqualTo("shop");
        assertThat(plan.endpoints()).containsExactly("home", "checkout");
        assertThat(plan.weights()).containsExactly(3, 1);
        assertThat(plan.stopWhen())
                .hasValueSatisfying(s -> assertThat(s.errorRate()).isEqualTo(0.05));
        try (Driver driver = plan.openDriver()) {
            List<HttpEndpoint> endpoints = ((HttpDriver) driver).endpoints();
            assertThat(endpoints.get(0).url()).isEqualTo(URI.create("http://shop.test/home"));
            HttpEndpoint checkout = endpoints.get(1);
            assertThat(checkout.method()).isEqualTo("POST");
            assertThat(new String(checkout.body())).isEqualTo("{\"cart\": 1}");
            assertThat(checkout.expectedStatus()).isEqualTo(Set.of(201));
        }
    }

    @Test
    void shouldScaleFractionalWeightsToWholeNumbers() {
        LoadPlan plan =
                LoadPlan.fromScenario(scenario("0.25", "1.5"), HttpClientSettings.defaults());

        assertThat(plan.weights()).containsExactly(250, 1500);
    }

    @Test
    void shouldGetEveryEndpointOfATargetInTurn() {
        TargetConfig target =
                TargetConfig.parse(
                        "endpoints:\n  - {name: home}\n  - {name: search, path: /find}\n",
                        "target.yaml");

        LoadPlan plan =
                LoadPlan.forTarget(
                        "demo",
                        target,
                        "http://127.0.0.1:8080",
                        300,
                        MINUTE,
                        HttpClientSettings.defaults());

        assertThat(plan.endpoints()).containsExactly("home", "search");
        assertThat(picks(plan.chooser(), 4)).containsExactly(0, 1, 0, 1);
        try (Driver driver = plan.openDriver()) {
            assertThat(((HttpDriver) driver).endpoints())
                    .extracting(HttpEndpoint::url)
                    .containsExactly(
                            URI.create("http://127.0.0.1:8080/home"),
                            URI.create("http://127.0.0.1:8080/find"));
        }
    }

    @Test
    void shouldCarryTheScenariosWarmupAndRunItBeforeTheSchedule() {
        Scenario scenario =
                ScenarioLoader.parse(
                        "warmup: 5s\n" + SCENARIO.formatted("1", "1"),
                        "shop.yaml",
                        Map.of("target", "http://shop.test"));

        LoadPlan plan = LoadPlan.fromScenario(scenario, HttpClientSettings.defaults());

        assertThat(plan.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(plan.executor().totalDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(plan.executorWithWarmup().totalDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(plan.summary()).contains("warm-up 5s, then constant-arrival-rate 50 req/s");
        assertThat(plan.withStopCondition(plan.stopWhen().orElseThrow()).warmup())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(plan.withWarmup(Duration.ZERO).executorWithWarmup()).isEqualTo(plan.executor());
    }

    private static Scenario scenario(String homeWeight, String checkoutWeight) {
        return ScenarioLoader.parse(
                SCENARIO.formatted(homeWeight, checkoutWeight),
                "shop.yaml",
                Map.of("target", "http://shop.test"));
    }

    private static List<Integer> picks(EndpointChooser chooser, int n) {
        return IntStream.range(0, n).mapToObj(i -> chooser.next()).toList();
    }
}
