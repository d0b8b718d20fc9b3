package io.loadstream.producers.target;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the requests a target answers, per endpoint and status, in Micrometer counters named
 * {@value #REQUESTS} (tags {@code endpoint} and {@code status}); requests to paths of no endpoint
 * are counted in {@value #UNMATCHED}. Thread-safe.
 */
final class RequestCounts {

    static final String REQUESTS = "loadstream.target.requests";
    static final String UNMATCHED = "loadstream.target.unmatched";

    private final MeterRegistry registry;
    private final Map<String, Map<Integer, Counter>> byEndpoint = new ConcurrentHashMap<>();
    private final Counter unmatched;

    RequestCounts(MeterRegistry registry) {
        this.registry = registry;
        this.unmatched =
                Counter.builder(UNMATCHED)
                        .description("Requests to a path of no endpoint, answered 404")
                        .register(registry);
    }

    void increment(String endpoint, int status) {
        byEndpoint
                .computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> register(endpoint, s))
                .increment();
    }

    void countUnmatched() {
        unmatched.increment();
    }

    long count(String endpoint, int status) {
        Counter counter = byEndpoint.getOrDefault(endpoint, Map.of()).get(status);
        return counter == null ? 0 : (long) counter.count();
    }

    long count(String endpoint) {
        return byEndpoint.getOrDefault(endpoint, Map.of()).values().stream()
                .mapToLong(counter -> (long) counter.count())
                .sum();
    }

    long unmatched() {
        return (long) unmatched.count();
    }

    private Counter register(String endpoint, int status) {
        return Counter.builder(REQUESTS)
                .description("Requests answered by a target endpoint, by status")
                .tag("endpoint", endpoint)
                .tag("status", Integer.toString(status))
                .register(registry);
    }
}
