package io.loadstream.producers.target;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * Runs an answer once its planned delay has passed. The target's own timer is an event-loop timer,
 * so that no thread blocks while a request waits; a test's may answer at once and keep the delay,
 * to check what the target plans without waiting for it on a machine of unknown speed.
 */
@FunctionalInterface
interface AnswerTimer {

    /** Event-loop timers: the answer runs on the event loop that took the request. */
    AnswerTimer EVENT_LOOP =
            (vertx, delayNanos, answer) -> {
                if (delayNanos <= 0) {
                    answer.run();
                } else {
                    vertx.timer(delayNanos, TimeUnit.NANOSECONDS).onComplete(fired -> answer.run());
                }
            };

    /**
     * Runs {@code answer} {@code delayNanos} after now; called on the event loop of the request.
     *
     * @param vertx the target's Vert.x instance
     * @param delayNanos the planned delay, from {@link ResponsePlan#delayNanos()}
     * @param answer writes the response
     */
    void runAfter(Vertx vertx, long delayNanos, Runnable answer);
}
