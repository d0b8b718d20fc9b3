package io.loadstream.analytics.alerting;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * What the alert store keeps per {@link AlertKey}: the alert's state machine, the last {@code
 * Alert} written for it (whose labels, metric and resolution a transition made after its rule was
 * deleted reuses), and when its run ended (wall clock, 0 while the run goes on), from which the
 * entry is deleted after the run retention.
 *
 * <p>The store is persistent with a changelog and written in the same transaction as the {@code
 * alerts} records, so a restart neither repeats nor loses a transition.
 */
public record TrackedAlert(AlertStateMachine machine, LastAlert last, long runEndedAtMs) {

    /** A key that has not been judged yet. */
    public static TrackedAlert untracked() {
        return new TrackedAlert(new AlertStateMachine(), null, 0);
    }

    /** This alert after {@code alert} was written for it. */
    public TrackedAlert written(Alert alert) {
        return new TrackedAlert(machine, LastAlert.of(alert), runEndedAtMs);
    }

    /** This alert with its run ended at {@code nowMs}, unless it ended before. */
    public TrackedAlert runEnded(long nowMs) {
        return runEndedAtMs > 0 ? this : new TrackedAlert(machine, last, nowMs);
    }

    /** The store of tracked alerts under {@code name}: persistent, changelogged, not cached. */
    public static StoreBuilder<KeyValueStore<AlertKey, TrackedAlert>> storeBuilder(String name) {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(name),
                        TrackedAlertSerdes.keys(),
                        TrackedAlertSerdes.values())
                .withCachingDisabled()
                .withLoggingEnabled(Map.of());
    }
}
