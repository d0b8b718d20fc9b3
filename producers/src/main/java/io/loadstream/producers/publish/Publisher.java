package io.loadstream.producers.publish;

import io.loadstream.avro.RequestTiming;
import io.loadstream.producers.execute.TimingSink;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a generator's timing events go on their way to Kafka, in either {@link PublishMode}: one
 * record per request ({@link TimingPublisher}) or one interval histogram per endpoint and second
 * ({@link HistogramPublisher}). A generator run uses every publisher the same way:
 *
 * <pre>{@code
 * try (Publisher publisher = Publishers.open(config, serdes, topics, mode, 200_000, clock)) {
 *     executor.run(...);                 // publish(timing) for every request
 *     publisher.tick();                  // once a second, on the run's timer
 *     long late = publisher.finish(Duration.ofSeconds(30));
 *     publisher.acknowledged();          // final once finished
 * }
 * }</pre>
 *
 * <p>Counts are of request events in both modes. Every event handed to {@link #publish} is counted
 * once as {@link #sent()} and ends as {@link #acknowledged()} (the broker has it, alone or in an
 * acknowledged histogram), {@link #failed()} (the producer gave up on it) or {@link #dropped()}
 * (never handed to the producer); until then it is {@link #pending()}. After {@link #finish} or
 * {@link #close()} nothing is pending.
 */
public interface Publisher extends TimingSink, AutoCloseable {

    /**
     * Called about once a second by the run's timer, never by {@link #publish}, so that the
     * schedule never waits for it: histogram mode sends the intervals that are due.
     */
    void tick();

    /**
     * Runs an event through the code that {@link #publish} runs before Kafka (serialization),
     * without sending or counting it: warm-up calls before the run's time 0 go here, so that the
     * run's first events do not wait for that code to be loaded and compiled. Does nothing by
     * default.
     */
    default void rehearse(RequestTiming timing) {}

    /**
     * Sets the end markers that {@link #finish} publishes after the last event, so that the
     * analytics close this generator's part of the run at once. Without it {@link #finish}
     * publishes none, and the run closes through the analytics' idle timeout. Does nothing by
     * default.
     */
    default void endWith(RunEnd end) {}

    /**
     * Whether Kafka acknowledged every end marker that {@link #finish} published; true by default,
     * for a publisher that publishes none.
     */
    default boolean endAcknowledged() {
        return true;
    }

    /** Events handed to {@link #publish}. */
    long sent();

    /** Events the broker has acknowledged. */
    long acknowledged();

    /** Events the producer gave up on. */
    long failed();

    /** Events never handed to the producer: no room to wait for Kafka, or left when closing. */
    long dropped();

    /** Events still waiting for Kafka's answer. */
    default long pending() {
        return sent() - acknowledged() - failed() - dropped();
    }

    /** The first failure, as exception type and message, if any event failed. */
    Optional<String> firstFailure();

    /** A few words on what is waiting, for the run's status line. */
    String status();

    /**
     * Sends what is still waiting, waits for Kafka's answers, publishes the end markers (see {@link
     * #endWith}) and waits for their answers, then stops; all within {@code timeout} (give or take
     * a forced close of the producer). What is still unanswered when the timeout passes is counted
     * as failed or dropped: the counts are final on return.
     *
     * @return events still waiting for Kafka when the timeout passed, now counted as failed or
     *     dropped; 0 when Kafka answered for every event in time
     */
    long finish(Duration timeout);

    /**
     * Stops without waiting for more than a bounded close: what is still waiting then is counted as
     * dropped or failed. Closing again does nothing.
     */
    @Override
    void close();
}
