package io.loadstream.producers.run;

import io.loadstream.producers.execute.EndpointChooser;
import io.loadstream.producers.http.HttpClientSettings;
import io.loadstream.producers.http.HttpDriver;
import io.loadstream.producers.http.HttpEndpoint;
import io.loadstream.producers.scenario.EndpointTemplate;
import io.loadstream.producers.scenario.Scenario;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;

/** Turns a scenario's endpoint templates into an HTTP driver and a weighted endpoint chooser. */
public final class ScenarioDriver {

    private ScenarioDriver() {}

    /** An HTTP driver for the scenario's endpoints, in their order. */
    public static HttpDriver http(Scenario scenario, HttpClientSettings settings) {
        List<HttpEndpoint> endpoints =
                scenario.endpoints().stream().map(ScenarioDriver::endpoint).toList();
        return new HttpDriver(endpoints, settings);
    }

    /** The endpoint names, by the index the driver knows them by. */
    public static List<String> names(Scenario scenario) {
        return scenario.endpoints().stream().map(EndpointTemplate::name).toList();
    }

    /**
     * Picks endpoints by their weights. Weights may be fractions; they are scaled to whole numbers
     * keeping three decimals.
     */
    public static EndpointChooser chooser(Scenario scenario) {
        List<Double> weights =
                scenario.endpoints().stream()
                        .map(e -> e.weight() != null ? e.weight() : 1.0)
                        .toList();
        boolean whole = weights.stream().allMatch(w -> w == Math.rint(w));
        return EndpointChooser.weighted(
                weights.stream()
                        .map(w -> (int) Math.max(1, Math.round(whole ? w : w * 1000)))
                        .toList());
    }

    private static HttpEndpoint endpoint(EndpointTemplate template) {
        return new HttpEndpoint(
                template.name(),
                template.method() != null ? template.method() : "GET",
                URI.create(template.url()),
                template.headers() != null ? template.headers() : java.util.Map.of(),
                template.body() != null
                        ? template.body().getBytes(StandardCharsets.UTF_8)
                        : new byte[0],
                template.timeout() != null ? template.timeout() : EndpointTemplate.DEFAULT_TIMEOUT,
                template.expectStatus() != null
                        ? new HashSet<>(template.expectStatus())
                        : new HashSet<>());
    }
}
