package io.loadstream.producers.publish;

import io.loadstream.avro.RequestTiming;
import io.loadstream.avro.SeriesKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;

/**
 * One sending thread of a {@link TimingPublisher}: takes events from the publisher's buffer, up to
 * {@value #BATCH_EVENTS} at a time, and hands them to the producer, retrying while Kafka is away. A
 * publisher runs several on one producer, so that serializing and appending events to the
 * producer's batches is not held to one core.
 *
 * <p>Every event it takes from the buffer is counted: acknowledged or failed by the producer's
 * answer, failed when the producer refuses it, dropped when the drain deadline has passed or when
 * the thread is interrupted (or killed by an error) with it still in hand.
 */
final class TimingSender implements Runnable {

    /** Events a sender takes from the buffer at a time, beside those the buffer holds. */
    static final int BATCH_EVENTS = 1_024;

    /** How long a sender waits before it looks at an empty buffer again. */
    private static final Duration IDLE_WAIT = Duration.ofMillis(1);

    private static final Duration RETRY_BACKOFF = Duration.ofMillis(100);

    private final Producer<SeriesKey, RequestTiming> producer;
    private final String topic;
    private final BlockingQueue<RequestTiming> buffer;
    private final PublishCounts counts;
    private final BooleanSupplier closing;
    private final LongSupplier drainDeadlineNanos;
    private final SeriesKeys keys = new SeriesKeys();
    private final Callback outcome = this::answered;
    private final List<RequestTiming> inHand = new ArrayList<>(BATCH_EVENTS);

    /** The thread running this sender, so that the callback knows when it is called in send(). */
    private volatile Thread thread;

    /** Why the producer refused the record being sent, set by the callback within send(). */
    private Exception refusedInSend;

    /**
     * @param closing whether the publisher is closing: the sender then ends once the buffer is
     *     empty
     * @param drainDeadlineNanos {@code System.nanoTime()} after which events are dropped, not sent
     */
    TimingSender(
            Producer<SeriesKey, RequestTiming> producer,
            String topic,
            BlockingQueue<RequestTiming> buffer,
            PublishCounts counts,
            BooleanSupplier closing,
            LongSupplier drainDeadlineNanos) {
        this.producer = producer;
        this.topic = topic;
        this.buffer = buffer;
        this.counts = counts;
        this.closing = closing;
        this.drainDeadlineNanos = drainDeadlineNanos;
    }

    /**
     * Sends until the publisher is closing and the buffer is empty. When the buffer is empty it
     * looks again after {@link #IDLE_WAIT} rather than waiting to be woken: a wake-up per event
     * would cost the schedule's thread a system call per publish.
     */
    @Override
    public void run() {
        thread = Thread.currentThread();
        int next = 0;
        try {
            while (!closing.getAsBoolean() || !buffer.isEmpty()) {
                if (buffer.drainTo(inHand, BATCH_EVENTS) == 0) {
                    TimeUnit.NANOSECONDS.sleep(IDLE_WAIT.toNanos());
                    continue;
                }
                for (next = 0; next < inHand.size(); next++) {
                    sendUntilAccepted(inHand.get(next));
                }
                inHand.clear();
                next = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // the one being sent when interrupted was not handed over either
            counts.dropped(inHand.size() - next);
        }
    }

    /** Hands an event to the producer, retrying while Kafka is away. */
    private void sendUntilAccepted(RequestTiming timing) throws InterruptedException {
        ProducerRecord<SeriesKey, RequestTiming> record =
                new ProducerRecord<>(
                        topic,
                        null,
                        timing.getIntendedSendTimeUs() / 1_000,
                        keys.of(timing),
                        timing);
        while (true) {
            if (System.nanoTime() - drainDeadlineNanos.getAsLong() > 0) {
                counts.dropped(1);
                return;
            }
            Exception rejected = trySend(record);
            if (rejected == null) {
                return;
            }
            if (!(rejected instanceof RetriableException)) {
                // serialization errors, a closed or fenced producer: this event cannot be sent
                counts.failed(1, rejected);
                return;
            }
            // no metadata or no buffer space within max.block.ms: Kafka is away, try again
            TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF.toMillis());
        }
    }

    /**
     * Hands one record to the producer.
     *
     * @return null when the producer took it (its outcome is counted by the callback), or why the
     *     producer refused it at once
     */
    private Exception trySend(ProducerRecord<SeriesKey, RequestTiming> record) {
        refusedInSend = null;
        try {
            producer.send(record, outcome);
        } catch (RuntimeException e) {
            // any exception refuses this one record; the sender goes on with the next
            return e;
        }
        return refusedInSend;
    }

    /**
     * The one callback of this sender's records (none allocated per event): counts the producer's
     * answer, or, when called from within {@code send()} on this sender's thread, notes that the
     * record never entered the producer.
     */
    private void answered(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            counts.acknowledged(1);
        } else if (Thread.currentThread() == thread) {
            refusedInSend = exception;
        } else {
            counts.failed(1, exception);
        }
    }
}
