package io.loadstream.consumers.alerts.forward;

/**
 * How a receiver answered a post.
 *
 * @param outcome delivered, worth retrying, or refused for good
 * @param detail what the receiver said or what went wrong, for logs and dead letters
 */
public record Delivery(Outcome outcome, String detail) {

    /** What the forwarder does next. */
    public enum Outcome {
        /** A 2xx: the receiver has the alerts; the offset may be committed. */
        DELIVERED,
        /**
         * Not reached, timed out, 5xx, 408 or 429: the receiver is away or busy, and the same post
         * may succeed later.
         */
        RETRY,
        /** Any other 4xx: the receiver will never take this post, so it goes to dead letters. */
        REJECTED
    }

    public static Delivery delivered(String detail) {
        return new Delivery(Outcome.DELIVERED, detail);
    }

    public static Delivery retry(String detail) {
        return new Delivery(Outcome.RETRY, detail);
    }

    public static Delivery rejected(String detail) {
        return new Delivery(Outcome.REJECTED, detail);
    }

    /** The outcome of an HTTP status: 2xx delivered, 408, 429 and 5xx retry, other 4xx rejected. */
    public static Outcome ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.DELIVERED;
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return Outcome.REJECTED;
        }
        return Outcome.RETRY;
    }
}
