package io.loadstream.producers.run;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.loadstream.producers.execute.Driver;
import io.loadstream.producers.execute.EndpointChooser;
import io.loadstream.producers.http.HttpClientSettings;
import io.loadstream.producers.http.HttpDriver;
import io.loadstream.producers.http.HttpEndpoint;
import io.loadstream.producers.scenario.DisplayText;
import io.loadstream.producers.scenario.EndpointTemplate;
import io.loadstream.producers.scenario.ExecutorSpec;
import io.loadstream.producers.scenario.Scenario;
import io.loadstream.producers.scenario.StopCondition;
import io.loadstream.producers.synthetic.LatencyProfile;
import io.loadstream.producers.synthetic.SyntheticDriver;
import io.loadstream.producers.target.TargetConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a generator is to do, whether a scenario file or the command line describes it: the scenario
 * name its results are filed under, the executor, the endpoints with their weights, how to open the
 * driver that calls them, and when to stop early.
 *
 * <pre>{@code
 * LoadPlan fromFile = LoadPlan.fromScenario(ScenarioLoader.load(file, vars), httpSettings);
 * LoadPlan synthetic = LoadPlan.synthetic(
 *         "synthetic", LatencyProfile.parseList("home,search:30ms/200ms"), 100,
 *         Duration.ofMinutes(1), 42);
 * }</pre>
 *
 * @param scenario what results are filed under
 * @param executor how requests are started over time
 * @param endpoints endpoint names, by the index the driver knows them by; unique
 * @param weights each endpoint's share of the requests, as many as endpoints
 * @param driver opens the driver of the endpoints, once per run
 * @param stopWhen when to stop early at the breaking point, if at all
 * @param driverDescription a few words on what answers the requests, for the start line
 * @param warmup how long the run warms up before the executor's schedule, at its starting level;
 *     the warm-up's events are marked and kept out of results ({@link Duration#ZERO} for none)
 */
public record LoadPlan(
        String scenario,
        ExecutorSpec executor,
        List<String> endpoints,
        List<Integer> weights,
        DriverOpener driver,
        Optional<StopCondition> stopWhen,
        String driverDescription,
        Duration warmup) {

    /** Opens the driver of a plan's endpoints, in their order. */
    @FunctionalInterface
    public interface DriverOpener {
        Driver open();
    }

    /** How long a request to the demo target may take. */
    static final Duration TARGET_TIMEOUT = Duration.ofSeconds(10);

    public LoadPlan {
        if (scenario == null || scenario.isBlank()) {
            throw new IllegalArgumentException("scenario must not be empty");
        }
        Objects.requireNonNull(executor, "executor");
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one endpoint is needed");
        }
        endpoints = List.copyOf(endpoints);
        requireUnique(endpoints);
        weights = List.copyOf(weights);
        if (weights.size() != endpoints.size()) {
            throw new IllegalArgumentException(
                    weights.size() + " weights for " + endpoints.size() + " endpoints");
        }
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(stopWhen, "stopWhen");
        Objects.requireNonNull(driverDescription, "driverDescription");
        executor.checkWarmup(Objects.requireNonNull(warmup, "warmup"), "warmup");
    }

    /** A plan without a warm-up. */
    public LoadPlan(
            String scenario,
            ExecutorSpec executor,
            List<String> endpoints,
            List<Integer> weights,
            DriverOpener driver,
            Optional<StopCondition> stopWhen,
            String driverDescription) {
        this(
                scenario,
                executor,
                endpoints,
                weights,
                driver,
                stopWhen,
                driverDescription,
                Duration.ZERO);
    }

    /**
     * A scenario file's plan: HTTP requests to its endpoints, picked by their weights, with its
     * executor and stop condition.
     */
    public static LoadPlan fromScenario(Scenario scenario, HttpClientSettings http) {
        List<HttpEndpoint> endpoints =
                scenario.endpoints().stream().map(LoadPlan::httpEndpoint).toList();
        return new LoadPlan(
                scenario.name(),
                scenario.executor(),
                scenario.endpoints().stream().map(EndpointTemplate::name).toList(),
                weights(scenario.endpoints()),
                () -> new HttpDriver(endpoints, http),
                Optional.ofNullable(scenario.stopWhen()),
                "HTTP",
                scenario.warmup());
    }

    /**
     * Simulated endpoints answered at once by a {@link SyntheticDriver}, in turn, at a constant
     * rate.
     *
     * @param seed seed of the simulated latencies and errors: the same seed, endpoints and rate
     *     give the same responses
     */
    public static LoadPlan synthetic(
            String name,
            List<LatencyProfile> endpoints,
            double rate,
            Duration duration,
            long seed) {
        return new LoadPlan(
                name,
                ExecutorSpec.constantArrivalRate(rate, duration),
                endpoints.stream().map(LatencyProfile::endpoint).toList(),
                Collections.nCopies(endpoints.size(), 1),
                () -> new SyntheticDriver(endpoints, seed),
                Optional.empty(),
                "synthetic, seed " + seed);
    }

    /**
     * A {@code GET} of every endpoint of a running target (loadstream's demo target), in turn, at a
     * constant rate.
     *
     * @param baseUrl where the target listens, for example {@code http://127.0.0.1:8080}
     */
    public static LoadPlan forTarget(
            String name,
            TargetConfig target,
            String baseUrl,
            double rate,
            Duration duration,
            HttpClientSettings http) {
        List<HttpEndpoint> endpoints =
                target.endpoints().stream()
                        .map(
                                e ->
                                        HttpEndpoint.get(
                                                e.name(),
                                                URI.create(baseUrl + e.path()),
                                                TARGET_TIMEOUT))
                        .toList();
        return new LoadPlan(
                name,
                ExecutorSpec.constantArrivalRate(rate, duration),
                target.endpointNames(),
                Collections.nCopies(endpoints.size(), 1),
                () -> new HttpDriver(endpoints, http),
                Optional.empty(),
                "HTTP to " + baseUrl);
    }

    /** The same plan, stopping early when {@code condition} is passed. */
    public LoadPlan withStopCondition(StopCondition condition) {
        return new LoadPlan(
                scenario,
                executor,
                endpoints,
                weights,
                driver,
                Optional.of(condition),
                driverDescription,
                warmup);
    }

    /**
     * The same plan with a warm-up of {@code warmup} before its schedule.
     *
     * @throws io.loadstream.producers.scenario.InvalidFieldException naming {@code warmup} when it
     *     is negative or the schedule starts at 0
     */
    public LoadPlan withWarmup(Duration warmup) {
        return new LoadPlan(
                scenario,
                executor,
                endpoints,
                weights,
                driver,
                stopWhen,
                driverDescription,
                warmup);
    }

    /** The schedule that runs: the executor's, preceded by the warm-up. */
    public ExecutorSpec executorWithWarmup() {
        return executor.withWarmup(warmup);
    }

    /** A new chooser of this plan's endpoints by their weights, starting from the first. */
    public EndpointChooser chooser() {
        return EndpointChooser.weighted(weights);
    }

    /** Opens the driver; the caller closes it. */
    public Driver openDriver() {
        return driver.open();
    }

    /** One line: {@code scenario spike, ramping-arrival-rate 0→2000 req/s over 5m, ...}. */
    public String summary() {
        return "scenario "
                + scenario
                + ", "
                + (warmup.isZero() ? "" : "warm-up " + DisplayText.duration(warmup) + ", then ")
                + executor.summary()
                + ", endpoints "
                + String.join(", ", endpoints)
                + " ("
                + driverDescription
                + ")";
    }

    /**
     * Weights may be fractions; they are scaled to whole numbers keeping three decimals, and a
     * weight that would round to 0 is kept at 1.
     */
    private static List<Integer> weights(List<EndpointTemplate> templates) {
        List<Double> weights = templates.stream().map(EndpointTemplate::weight).toList();
        boolean whole = weights.stream().allMatch(w -> w == Math.rint(w));
        return weights.stream()
                .map(w -> (int) Math.max(1, Math.round(whole ? w : w * 1000)))
                .toList();
    }

    private static HttpEndpoint httpEndpoint(EndpointTemplate template) {
        byte[] body = template.body() == null ? null : template.body().getBytes(UTF_8);
        return new HttpEndpoint(
                template.name(),
                template.method(),
                URI.create(template.url()),
                template.headers(),
                body,
                template.timeout(),
                Set.copyOf(template.expectStatus()));
    }

    private static void requireUnique(List<String> endpoints) {
        HashSet<String> seen = new HashSet<>();
        for (String endpoint : endpoints) {
            if (!seen.add(endpoint)) {
                throw new IllegalArgumentException("endpoint '" + endpoint + "' is given twice");
            }
        }
    }
}
