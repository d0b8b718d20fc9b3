package io.loadstream.analytics.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.AlertLevel;
import io.loadstream.avro.AlertState;
import io.loadstream.avro.Comparator;
import io.loadstream.schemas.rules.RuleLevels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The alert state machine on explicit 1 s windows: window {@code i} spans {@code [i s, i+1 s)}.
 * Latency values are microseconds; the rules are p99 ABOVE 100 ms (critical) unless said.
 */
class AlertStateMachineTest {

    private static final long SECOND = 1000;
    private static final double CRITICAL = 100_000;
    private static final double BREACH = 150_000;
    private static final double CLEAR = 80_000;

    private static AlertConditions critical(long forMs, long keepFiringForMs, Double resolve) {
        RuleLevels levels =
                new RuleLevels(
                        Comparator.ABOVE, null, CRITICAL, resolve == null ? CRITICAL : resolve);
        return new AlertConditions(levels, forMs, keepFiringForMs, 1);
    }

    private static JudgedWindow window(int i, double value) {
        return new JudgedWindow(i * SECOND, (i + 1) * SECOND, 100, value);
    }

    /** Judges windows 0, 1, 2... with these values; returns the transitions. */
    private static List<AlertTransition> run(
            AlertStateMachine alert, AlertConditions conditions, double... values) {
        List<AlertTransition> transitions = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            alert.judge(conditions, window(i, values[i])).ifPresent(transitions::add);
        }
        return transitions;
    }

    /** The flapping input: over the threshold every other window, 20 windows. */
    private static double[] flapping() {
        double[] values = new double[20];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2 == 0 ? BREACH : CLEAR;
        }
        return values;
    }

    private static long episodes(List<AlertTransition> transitions) {
        return transitions.stream().filter(t -> t.state() == AlertState.FIRING).count();
    }

    @Test
    void shouldFireOnTheFirstBreachingWindowWhenForIsZeroAndResolveOnTheFirstClearOne() {
        List<AlertTransition> transitions =
                run(new AlertStateMachine(), critical(0, 0, null), CLEAR, BREACH, BREACH, CLEAR);

        assertThat(transitions)
                .extracting(
                        AlertTransition::state,
                        AlertTransition::sinceMs,
                        AlertTransition::activeSinceMs,
                        AlertTransition::sequence,
                        AlertTransition::episodes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                AlertState.FIRING, 2 * SECOND, SECOND, 1L, 1),
                        org.assertj.core.groups.Tuple.tuple(
                                AlertState.RESOLVED, 4 * SECOND, SECOND, 2L, 1));
        assertThat(transitions.get(0).value()).isEqualTo(BREACH);
        assertThat(transitions.get(0).threshold()).isEqualTo(CRITICAL);
        assertThat(transitions.get(0).level()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(transitions.get(1).worstLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(transitions.get(1).windowStartMs()).isEqualTo(3 * SECOND);
    }

    @Test
    void shouldStayPendingUntilTheBreachHasGoneOnForForAfterItsFirstWindowThenFire() {
        List<AlertTransition> transitions =
                run(
                        new AlertStateMachine(),
                        critical(3 * SECOND, 0, null),
                        BREACH,
                        BREACH,
                        BREACH,
                        BREACH);

        assertThat(transitions)
                .extracting(AlertTransition::state, AlertTransition::sinceMs)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AlertState.PENDING, SECOND),
                        org.assertj.core.groups.Tuple.tuple(AlertState.FIRING, 4 * SECOND));
        assertThat(transitions.get(1).activeSinceMs()).isZero();
        assertThat(transitions.get(0).worstLevel()).as("never fired while pending").isNull();
    }

    @Test
    void shouldFireOnTheSecondTenSecondWindowWhenForIsTenSeconds() {
        AlertStateMachine alert = new AlertStateMachine();
        AlertConditions conditions = critical(10 * SECOND, 0, null);

        assertThat(alert.judge(conditions, new JudgedWindow(0, 10 * SECOND, 100, BREACH)))
                .map(AlertTransition::state)
                .contains(AlertState.PENDING);
        assertThat(alert.judge(conditions, new JudgedWindow(10 * SECOND, 20 * SECOND, 100, BREACH)))
                .map(AlertTransition::state)
                .contains(AlertState.FIRING);
    }

    @Test
    void shouldBecomeInactiveWhenAPendingBreachClearsBeforeFor() {
        List<AlertTransition> transitions =
                run(new AlertStateMachine(), critical(3 * SECOND, 0, null), BREACH, CLEAR, BREACH);

        assertThat(transitions)
                .extracting(AlertTransition::state, AlertTransition::episodes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AlertState.PENDING, 0),
                        org.assertj.core.groups.Tuple.tuple(AlertState.INACTIVE, 0),
                        org.assertj.core.groups.Tuple.tuple(AlertState.PENDING, 0));
        assertThat(transitions.get(2).activeSinceMs())
                .as("the new breach starts its own count towards 'for'")
                .isEqualTo(2 * SECOND);
    }

    @Test
    void shouldFireAgainAtTheNewLevelWhenTheValueMovesBetweenLevels() {
        RuleLevels levels = new RuleLevels(Comparator.ABOVE, 50_000.0, CRITICAL, 50_000);
        AlertConditions conditions = new AlertConditions(levels, 0, 0, 1);

        List<AlertTransition> transitions =
                run(new AlertStateMachine(), conditions, 60_000, BREACH, BREACH, 60_000, 40_000);

        assertThat(transitions)
                .extracting(
                        AlertTransition::state,
                        AlertTransition::level,
                        AlertTransition::threshold,
                        AlertTransition::worstLevel)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                AlertState.FIRING,
                                AlertLevel.WARNING,
                                50_000.0,
                                AlertLevel.WARNING),
                        org.assertj.core.groups.Tuple.tuple(
                                AlertState.FIRING,
                                AlertLevel.CRITICAL,
                                CRITICAL,
                                AlertLevel.CRITICAL),
                        org.assertj.core.groups.Tuple.tuple(
                                AlertState.FIRING,
                                AlertLevel.WARNING,
                                50_000.0,
                                AlertLevel.CRITICAL),
                        org.assertj.core.groups.Tuple.tuple(
                                AlertState.RESOLVED,
                                AlertLevel.WARNING,
                                50_000.0,
                                AlertLevel.CRITICAL));
        assertThat(transitions).extracting(AlertTransition::episodes).containsOnly(1);
        assertThat(transitions)
                .extracting(AlertTransition::sequence)
                .containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void shouldFireAndResolveOnEveryOtherWindowOfAFlappingInputWithoutProtection() {
        List<AlertTransition> transitions =
                run(new AlertStateMachine(), critical(0, 0, null), flapping());

        assertThat(episodes(transitions)).isEqualTo(10);
        assertThat(transitions).hasSize(20);
        assertThat(transitions.get(transitions.size() - 1).episodes()).isEqualTo(10);
    }

    @Test
    void shouldFireOnceOnAFlappingInputWithKeepFiringFor() {
        AlertStateMachine alert = new AlertStateMachine();
        AlertConditions conditions = critical(0, 2 * SECOND, null);
        List<AlertTransition> transitions = run(alert, conditions, flapping());

        assertThat(episodes(transitions)).isEqualTo(1);
        assertThat(transitions)
                .extracting(AlertTransition::state)
                .containsExactly(AlertState.FIRING);

        assertThat(episodes(run(new AlertStateMachine(), critical(0, SECOND, null), flapping())))
                .as("keepFiringFor as long as the gaps")
                .isEqualTo(1);

        // window 19 cleared; once the input has stayed clear 2 s more of window time, it resolves
        assertThat(alert.judge(conditions, window(20, CLEAR))).isEmpty();
        Optional<AlertTransition> resolved = alert.judge(conditions, window(21, CLEAR));
        assertThat(resolved).map(AlertTransition::state).contains(AlertState.RESOLVED);
        assertThat(resolved.get().sinceMs()).isEqualTo(22 * SECOND);
    }

    @Test
    void shouldFireOnceOnAFlappingInputWithAResolveThreshold() {
        AlertStateMachine alert = new AlertStateMachine();
        AlertConditions conditions = critical(0, 0, 70_000.0);
        List<AlertTransition> transitions = run(alert, conditions, flapping());

        assertThat(episodes(transitions)).isEqualTo(1);
        assertThat(transitions)
                .extracting(AlertTransition::state)
                .containsExactly(AlertState.FIRING);
        assertThat(alert.judge(conditions, window(20, 60_000)))
                .map(AlertTransition::threshold)
                .as("resolved against the resolve threshold")
                .contains(70_000.0);
    }

    @Test
    void shouldNeitherBreachNorClearOnWindowsWithFewerRequestsThanMinCount() {
        RuleLevels levels = new RuleLevels(Comparator.ABOVE, null, CRITICAL, CRITICAL);
        AlertConditions conditions = new AlertConditions(levels, 0, 0, 50);
        AlertStateMachine alert = new AlertStateMachine();

        assertThat(alert.judge(conditions, new JudgedWindow(0, SECOND, 10, BREACH))).isEmpty();
        assertThat(alert.judge(conditions, new JudgedWindow(SECOND, 2 * SECOND, 50, BREACH)))
                .map(AlertTransition::state)
                .contains(AlertState.FIRING);
        assertThat(alert.judge(conditions, new JudgedWindow(2 * SECOND, 3 * SECOND, 49, CLEAR)))
                .as("a thin clear window does not resolve")
                .isEmpty();
        assertThat(alert.state()).isEqualTo(AlertState.FIRING);
    }

    @Test
    void shouldIgnoreAWindowThatEndsNoLaterThanTheLastJudgedOne() {
        AlertStateMachine alert = new AlertStateMachine();
        AlertConditions conditions = critical(0, 0, null);
        alert.judge(conditions, window(5, BREACH));

        assertThat(alert.judge(conditions, window(4, CLEAR))).isEmpty();
        assertThat(alert.judge(conditions, window(5, CLEAR))).as("the same window again").isEmpty();
        assertThat(alert.state()).isEqualTo(AlertState.FIRING);
        assertThat(alert.judge(conditions, window(6, CLEAR))).isPresent();
    }

    @Test
    void shouldKeepFiringWhileTheValueIsBetweenTheResolveThresholdAndTheLevel() {
        AlertStateMachine alert = new AlertStateMachine();
        AlertConditions conditions = critical(0, 0, 50_000.0);

        List<AlertTransition> transitions = run(alert, conditions, BREACH, CLEAR, CLEAR, 40_000);

        assertThat(transitions)
                .extracting(AlertTransition::state, AlertTransition::sinceMs)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AlertState.FIRING, SECOND),
                        org.assertj.core.groups.Tuple.tuple(AlertState.RESOLVED, 4 * SECOND));
    }

    @Test
    void shouldFireWhenAThroughputFallsBelowItsThreshold() {
        RuleLevels levels = new RuleLevels(Comparator.BELOW, null, 500.0, 500.0);
        List<AlertTransition> transitions =
                run(new AlertStateMachine(), new AlertConditions(levels, 0, 0, 1), 900, 400, 600);

        assertThat(transitions)
                .extracting(AlertTransition::state)
                .containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    }

    @Test
    void shouldEndAPendingAlertInactiveAndAFiringOneResolvedFromOutside() {
        AlertStateMachine pending = new AlertStateMachine();
        run(pending, critical(5 * SECOND, 0, null), BREACH);
        AlertStateMachine firing = new AlertStateMachine();
        run(firing, critical(0, 0, null), BREACH, BREACH);

        assertThat(pending.end(10 * SECOND))
                .map(AlertTransition::state)
                .contains(AlertState.INACTIVE);
        Optional<AlertTransition> resolved = firing.end(10 * SECOND);
        assertThat(resolved).map(AlertTransition::state).contains(AlertState.RESOLVED);
        assertThat(resolved.get().sinceMs()).isEqualTo(10 * SECOND);
        assertThat(resolved.get().sequence()).isEqualTo(2);
        assertThat(firing.end(11 * SECOND)).as("ended already").isEmpty();
        assertThat(new AlertStateMachine().end(SECOND)).isEmpty();
    }
}
