package io.loadstream.producers.execute;

import java.time.Duration;

/**
 * When each request of an open-model load should start, counted from the start of the run.
 *
 * <p>A schedule is a rate that varies over time. With {@code N(t)} the number of requests the rate
 * asks for by time {@code t} (its integral from 0), request {@code i} (from 0) is due at the last
 * moment {@code t} at which {@code N(t) <= i}, that is just before the rate has asked for more than
 * {@code i} requests. At a constant rate that is {@code i / rate}. Taking the last such moment, not
 * the first, puts no request inside a stretch of zero rate: the request after a pause is due when
 * the rate picks up again.
 *
 * <p>The run covers {@link #duration()}; its requests are those due strictly before it, numbered
 * {@code 0 .. requests() - 1}.
 */
public interface ArrivalSchedule {

    /**
     * Nanoseconds from the start at which request {@code i} is due, rounded to the nearest
     * nanosecond (halves up); never decreasing in {@code i}.
     *
     * @param i request number, from 0 to {@link #requests()} - 1
     * @throws IndexOutOfBoundsException when {@code i} is not a request of this schedule
     */
    long intendedOffsetNanos(long i);

    /** How many requests are due within the duration. */
    long requests();

    /** How long the run lasts. */
    Duration duration();

    /**
     * The rate, in requests per second, that the schedule asks for at {@code t} from the start; 0
     * before the start and from the end of the duration on.
     */
    double rateAt(Duration t);
}
