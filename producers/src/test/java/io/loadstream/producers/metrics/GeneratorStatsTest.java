package io.loadstream.producers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import io.loadstream.schemas.metrics.PrometheusEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GeneratorStatsTest {

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<RequestTiming> passedOn = new ArrayList<>();
    private final GeneratorStats stats = new GeneratorStats(passedOn::add, registry, 2);

    @Test
    void shouldKeepCorrectedLatencyOfTheLastSecondsAndPassEventsOn() {
        stats.publish(timing(Outcome.SUCCESS, 0, 1_000)); // rolled out below
        stats.roll();
        stats.publish(timing(Outcome.SUCCESS, 500, 2_000)); // 2.5 ms corrected
        stats.roll();
        stats.publish(timing(Outcome.HTTP_ERROR, 0, 9_000));
        stats.publish(timing(Outcome.DROPPED, 0, 0));
        stats.roll();

        assertThat(stats.recent().getTotalCount()).isEqualTo(2);
        assertThat(stats.recent().valuesAreEquivalent(stats.recent().getMinValue(), 2_500))
                .isTrue();
        assertThat(stats.recent().valuesAreEquivalent(stats.recent().getMaxValue(), 9_000))
                .isTrue();
        assertThat(stats.errors()).isEqualTo(1);
        assertThat(stats.count(Outcome.DROPPED)).isEqualTo(1);
        assertThat(passedOn).hasSize(4);
    }

    @Test
    void shouldCountEveryOutcome() {
        stats.publish(timing(Outcome.SUCCESS, 0, 1_000));
        stats.publish(timing(Outcome.TIMEOUT, 0, 5_000));
        stats.publish(timing(Outcome.SUCCESS, 0, 1_000));

        assertThat(stats.outcomes())
                .containsEntry(Outcome.SUCCESS, 2L)
                .containsEntry(Outcome.TIMEOUT, 1L)
                .containsEntry(Outcome.CONNECT_ERROR, 0L)
                .hasSize(Outcome.values().length);
        assertThat(passedOn).hasSize(3);
    }

    @Test
    void shouldShowLatencyCountSumAndRecentQuantilesAsOfTheLastSecond() {
        stats.publish(timing(Outcome.SUCCESS, 0, 1_000));
        stats.publish(timing(Outcome.SUCCESS, 500, 2_000)); // 2.5 ms corrected
        stats.publish(timing(Outcome.DROPPED, 0, 0)); // no latency

        assertThat(registry.get("loadstream.generator.latency").functionTimer().count())
                .isEqualTo(2);
        assertThat(
                        registry.get("loadstream.generator.latency")
                                .functionTimer()
                                .totalTime(TimeUnit.MICROSECONDS))
                .isEqualTo(3_500);
        assertThat(recent("0.99")).isNaN(); // nothing rolled yet

        stats.roll();

        assertThat(recent("0.5")).isCloseTo(0.001, within(0.00001));
        assertThat(recent("0.99")).isCloseTo(0.0025, within(0.00001));
    }

    private double recent(String quantile) {
        return registry.get("loadstream.generator.latency.recent")
                .tag("quantile", quantile)
                .gauge()
                .value();
    }

    @Test
    void shouldServeCountersToPrometheus() throws Exception {
        stats.publish(timing(Outcome.TIMEOUT, 0, 5_000));
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, "127.0.0.1", 0)) {
            HttpResponse<String> response =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + endpoint.port()
                                                                    + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body())
                    .contains("loadstream_generator_requests_total{outcome=\"TIMEOUT\"} 1.0");
        }
    }

    private static RequestTiming timing(Outcome outcome, long scheduleDelayUs, long latencyUs) {
        long intended = 1_700_000_000_000_000L;
        return RequestTiming.newBuilder()
                .setRunId("r")
                .setScenario("s")
                .setEndpoint("e")
                .setGeneratorId("g")
                .setIntendedSendTimeUs(intended)
                .setActualSendTimeUs(intended + scheduleDelayUs)
                .setLatencyUs(latencyUs)
                .setOutcome(outcome)
                .setTags(Map.of())
                .build();
    }
}
