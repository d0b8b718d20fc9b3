package io.loadstream.producers.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.loadstream.schemas.config.Durations;
import java.time.Duration;

/**
 * One stage of a ramping executor: over {@code duration}, the level moves linearly from where the
 * previous stage ended (or the executor's start) to {@code target}. A stage whose target equals the
 * previous one holds the level; a zero duration jumps to the target at once.
 *
 * <pre>{@code
 * stages:
 *   - {duration: 30s, target: 500}   # ramp up to 500 req/s in 30s
 *   - {duration: 1m, target: 500}    # hold
 * }</pre>
 *
 * @param duration how long the stage lasts; 0 for a step change
 * @param target the level at the end of the stage: requests per second for ramping-arrival-rate,
 *     virtual users for ramping-vus
 */
public record Stage(
        @JsonDeserialize(using = Durations.Deserializer.class) Duration duration, Double target) {

    public Stage {
        FieldChecks.required(duration, "duration");
        if (duration.isNegative()) {
            throw new InvalidFieldException("duration", "must not be negative, not " + duration);
        }
        FieldChecks.notNegative(FieldChecks.required(target, "target"), "target");
    }
}
