package io.loadstream.analytics.deadletter;

/**
 * Why a record went to the dead-letter topic. The {@link #label()} travels in the {@link
 * DeadLetterHeaders#REASON} header and names the reason in the dead-letter counts.
 */
public enum DeadLetterReason {
    /** The bytes are not Confluent wire-format Avro, or do not decode with their schema. */
    UNREADABLE("unreadable"),
    /** The record names a schema id the schema registry does not know. */
    UNKNOWN_SCHEMA("unknown-schema"),
    /** A latency below zero. */
    NEGATIVE_LATENCY("negative-latency"),
    /** A latency above the highest value the pipeline's histograms track. */
    LATENCY_OUT_OF_RANGE("latency-out-of-range"),
    /** A send time (or interval start) further ahead of the wall clock than allowed. */
    FUTURE_SEND_TIME("future-send-time"),
    /** An empty run, scenario, endpoint or generator id, or a time that is not set. */
    MISSING_FIELD("missing-field"),
    /** A run, scenario, endpoint or generator id that holds a control character (NUL, tab...). */
    INVALID_ID("invalid-id"),
    /** An interval histogram whose fields contradict each other. */
    INVALID_PARTIAL("invalid-partial"),
    /** An event for a window that had already closed, grace period included. */
    LATE("late");

    private final String label;

    DeadLetterReason(String label) {
        this.label = label;
    }

    /** The reason as a header value, for example {@code unknown-schema}. */
    public String label() {
        return label;
    }
}
