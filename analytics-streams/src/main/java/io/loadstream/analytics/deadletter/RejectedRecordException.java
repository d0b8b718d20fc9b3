package io.loadstream.analytics.deadletter;

/**
 * Thrown by a processor for a record it will not process: invalid, or too late for its window. The
 * {@link DeadLetterProcessingHandler} writes the source record to {@code dead-letters} with the
 * reason, and processing goes on with the next record. Carries no stack trace: it is a routing
 * decision, not a fault, and can be thrown once per record of a flood.
 */
public final class RejectedRecordException extends RuntimeException {

    private final transient DeadLetterReason reason;

    public RejectedRecordException(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectedRecordException(Violation violation) {
        this(violation.reason(), violation.detail());
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
