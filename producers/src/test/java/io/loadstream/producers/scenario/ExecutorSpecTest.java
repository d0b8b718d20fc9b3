package io.loadstream.producers.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutorSpecTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static ExecutorSpec constantRate(Double rate, Duration duration) {
        return new ExecutorSpec(
                ExecutorType.CONSTANT_ARRIVAL_RATE, rate, null, duration, null, null, null, null);
    }

    private static ExecutorSpec rampingRate(Double startRate, List<Stage> stages) {
        return new ExecutorSpec(
                ExecutorType.RAMPING_ARRIVAL_RATE, null, startRate, null, stages, null, null, null);
    }

    private static ExecutorSpec rampingVus(List<Stage> stages) {
        return new ExecutorSpec(
                ExecutorType.RAMPING_VUS, null, null, null, stages, null, null, null);
    }

    private static Stage stage(String duration, double target) {
        return new Stage(io.loadstream.schemas.config.Durations.parse(duration), target);
    }

    private static InvalidFieldException invalid(Runnable build) {
        return catchThrowableOfType(InvalidFieldException.class, build::run);
    }

    @Test
    void shouldAddUpTheStagesOfARampingExecutor() {
        ExecutorSpec spec =
                rampingRate(50.0, List.of(stage("30s", 50), stage("2s", 500), stage("1m", 50)));

        assertThat(spec.totalDuration()).isEqualTo(Duration.ofSeconds(92));
        assertThat(spec.peak()).isEqualTo(500);
        assertThat(spec.summary()).isEqualTo("ramping-arrival-rate 50→500 req/s over 1m32s");
    }

    @Test
    void shouldPrecedeTheScheduleWithAWarmupAtItsStartingLevel() {
        Duration warmup = Duration.ofSeconds(10);

        assertThat(constantRate(200.0, MINUTE).withWarmup(warmup))
                .isEqualTo(constantRate(200.0, Duration.ofSeconds(70)));
        assertThat(rampingRate(50.0, List.of(stage("30s", 500))).withWarmup(warmup))
                .isEqualTo(rampingRate(50.0, List.of(stage("10s", 50), stage("30s", 500))));
        ExecutorSpec users =
                new ExecutorSpec(
                        ExecutorType.CONSTANT_VUS, null, null, MINUTE, null, null, 4, null);
        assertThat(users.withWarmup(warmup).totalDuration()).isEqualTo(Duration.ofSeconds(70));
        assertThat(users.withWarmup(Duration.ZERO)).isSameAs(users);
    }

    @Test
    void shouldRefuseAWarmupOfAScheduleThatStartsAtZero() {
        InvalidFieldException rampingUsers =
                invalid(() -> rampingVus(List.of(stage("1m", 10))).withWarmup(MINUTE));

        assertThat(rampingUsers.field()).isEqualTo("warmup");
        assertThat(rampingUsers.getMessage()).contains("ramping-vus starts at 0 VUs");
        assertThat(invalid(() -> rampingRate(0.0, List.of(stage("1m", 10))).withWarmup(MINUTE)))
                .hasMessageContaining("give the executor a startRate above 0");
    }

    @Test
    void shouldSummarizeEachExecutorType() {
        assertThat(constantRate(200.0, Duration.ofMinutes(2)).summary())
                .isEqualTo("constant-arrival-rate 200 req/s for 2m");
        assertThat(
                        new ExecutorSpec(
                                        ExecutorType.CONSTANT_VUS,
                                        null,
                                        null,
                                        Duration.ofHours(4),
                                        null,
                                        null,
                                        50,
                                        Duration.ofSeconds(1))
                                .summary())
                .isEqualTo("constant-vus 50 VUs for 4h, pacing 1s");
        assertThat(rampingVus(List.of(stage("1m", 20), stage("30s", 0))).summary())
                .isEqualTo("ramping-vus 0→20 VUs over 1m30s");
    }

    @Test
    void shouldRequireAPositiveRateAndDurationForAConstantRate() {
        assertThat(invalid(() -> constantRate(null, MINUTE)).getMessage())
                .isEqualTo("rate: is required");
        assertThat(invalid(() -> constantRate(0.0, MINUTE)).getMessage())
                .isEqualTo("rate: must be greater than 0, not 0");
        assertThat(invalid(() -> constantRate(10.0, null)).field()).isEqualTo("duration");
        assertThat(invalid(() -> constantRate(10.0, Duration.ZERO)).field()).isEqualTo("duration");
    }

    @Test
    void shouldRequireStagesForRampingExecutors() {
        assertThat(invalid(() -> rampingRate(10.0, List.of())).getMessage())
                .isEqualTo("stages: ramping-arrival-rate needs at least one stage");
        assertThat(invalid(() -> rampingVus(null)).getMessage())
                .isEqualTo("stages: ramping-vus needs at least one stage");
    }

    @Test
    void shouldRejectStagesThatWouldSendNothing() {
        assertThat(invalid(() -> rampingRate(0.0, List.of(stage("1m", 0)))).reason())
                .isEqualTo("every target is 0, so nothing would run");
        assertThat(invalid(() -> rampingRate(5.0, List.of(stage("0s", 10)))).reason())
                .isEqualTo("every stage lasts 0s, so nothing would run");
    }

    @Test
    void shouldRequireWholeVirtualUsers() {
        InvalidFieldException error =
                invalid(() -> rampingVus(List.of(stage("1m", 10), stage("1m", 2.5))));

        assertThat(error.field()).isEqualTo("stages[1].target");
        assertThat(error.reason()).isEqualTo("must be a whole number of virtual users, not 2.5");
    }

    @Test
    void shouldRejectAFieldTheTypeDoesNotTake() {
        InvalidFieldException error =
                invalid(
                        () ->
                                new ExecutorSpec(
                                        ExecutorType.CONSTANT_ARRIVAL_RATE,
                                        10.0,
                                        null,
                                        MINUTE,
                                        null,
                                        null,
                                        null,
                                        Duration.ofSeconds(1)));

        assertThat(error.getMessage())
                .isEqualTo(
                        "pacing: is not used by constant-arrival-rate, which takes rate,"
                                + " duration, maxInFlight");
    }

    @Test
    void shouldBoundOnlyOpenModelsByMaxInFlight() {
        assertThat(constantRate(10.0, MINUTE).maxInFlight())
                .isEqualTo(ExecutorSpec.DEFAULT_MAX_IN_FLIGHT);
        assertThat(rampingRate(null, List.of(stage("1m", 10))).startRate()).isZero();
        assertThat(rampingVus(List.of(stage("1m", 10))).maxInFlight()).isNull();
    }

    @Test
    void shouldNeedPositiveConnectionsForMaxThroughput() {
        assertThat(invalid(() -> ExecutorSpec.maxThroughput(0, MINUTE)))
                .hasMessageContaining("connections");
        assertThat(
                        invalid(
                                () ->
                                        new ExecutorSpec(
                                                ExecutorType.MAX_THROUGHPUT,
                                                null,
                                                null,
                                                MINUTE,
                                                null,
                                                null,
                                                null,
                                                null,
                                                null)))
                .hasMessageContaining("connections");
        assertThat(ExecutorSpec.maxThroughput(8, MINUTE).peak()).isEqualTo(8);
        assertThat(ExecutorSpec.maxThroughput(8, MINUTE).maxInFlight()).isNull();
    }
}
