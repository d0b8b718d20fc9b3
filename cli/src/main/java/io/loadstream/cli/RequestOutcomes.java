package io.loadstream.cli;

import io.loadstream.avro.Outcome;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the outcomes of a run's requests say about the run as a whole: whether it measured its
 * target at all. The publisher's counts are about Kafka and are perfect for a run in which no
 * request succeeded, such as one against a target that refuses every connection.
 *
 * <pre>{@code
 * RequestOutcomes.noRequestSucceeded(report.outcomes())
 *         .ifPresent(reason -> err.println("error: " + reason));
 * }</pre>
 */
final class RequestOutcomes {

    private RequestOutcomes() {}

    /**
     * Why the run failed to measure its target, when there were requests and none of them
     * succeeded, for example {@code "none of the 40 requests succeeded (40 CONNECT_ERROR): is the
     * target running, and is --target-url right?"}; empty when one did, or there were none.
     *
     * @param outcomes requests by outcome, in the order to name them
     */
    static Optional<String> noRequestSucceeded(Map<Outcome, Long> outcomes) {
        long total = outcomes.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0 || outcomes.getOrDefault(Outcome.SUCCESS, 0L) > 0) {
            return Optional.empty();
        }
        String byOutcome =
                outcomes.entrySet().stream()
                        .filter(e -> e.getValue() > 0)
                        .map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", "));
        String hint =
                outcomes.getOrDefault(Outcome.CONNECT_ERROR, 0L) == total
                        ? ": is the target running, and is --target-url right?"
                        : "";
        return Optional.of(
                "none of the " + total + " requests succeeded (" + byOutcome + ")" + hint);
    }
}
