package io.loadstream.producers.publish;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Kafka's answers to a generator's end markers, which {@link Publisher#finish} waits for before the
 * generator exits. The markers are not events: they count in none of the publisher's counts.
 */
final class EndMarkerAcks implements Callback {

    private final CountDownLatch answers;
    private volatile Exception firstFailure;

    EndMarkerAcks(int markers) {
        this.answers = new CountDownLatch(markers);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null && firstFailure == null) {
            firstFailure = exception;
        }
        answers.countDown();
    }

    /**
     * Waits until Kafka has answered for every marker, or the deadline ({@link System#nanoTime})
     * has passed.
     *
     * @return whether every marker was acknowledged in time
     */
    boolean await(long deadlineNanos) {
        try {
            answers.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return answers.getCount() == 0 && firstFailure == null;
    }
}
