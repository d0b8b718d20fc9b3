package io.loadstream.producers.execute;

import io.loadstream.avro.Outcome;
import io.loadstream.avro.RequestTiming;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * How executors call drivers and sinks so that neither can break their bookkeeping: a driver that
 * throws, returns no future or fails its future still gives an answer (OTHER), and a sink that
 * throws is reported rather than left to stop the counting of a request.
 */
final class DriverCalls {

    private DriverCalls() {}

    /**
     * Hands {@code timing} to the sink; a sink that throws (which it should not) is reported to the
     * thread's uncaught-exception handler rather than left to break the executor's bookkeeping.
     */
    static void publish(TimingSink sink, RequestTiming timing) {
        try {
            sink.publish(timing);
        } catch (RuntimeException e) {
            Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        }
    }

    /** {@code driver.send}, with a driver that breaks its contract turned into an answer. */
    static CompletableFuture<DriverResponse> send(Driver driver, int endpoint) {
        try {
            CompletableFuture<DriverResponse> future = driver.send(endpoint);
            return future != null
                    ? future
                    : CompletableFuture.completedFuture(otherFailure("driver returned no future"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The response, or an OTHER outcome for a future that failed or completed with nothing. */
    static DriverResponse answerOf(DriverResponse response, Throwable failure) {
        if (failure != null) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
            return otherFailure(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        return response != null ? response : otherFailure("driver completed with no response");
    }

    private static DriverResponse otherFailure(String error) {
        return new DriverResponse(Outcome.OTHER, 0, 0, 0, 0, error);
    }
}
