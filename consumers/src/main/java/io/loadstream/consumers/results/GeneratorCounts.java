package io.loadstream.consumers.results;

/**
 * What the generators of a run counted of their timing events: created ({@code sent}), acknowledged
 * by Kafka, failed to publish, and dropped because the buffer was full. {@code sent = acknowledged
 * + failed + dropped}; the results of the run must count the acknowledged ones.
 */
public record GeneratorCounts(long sent, long acknowledged, long failed, long dropped) {}
