package io.loadstream.analytics;

import io.loadstream.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What analyze does when one of its stream threads dies. Whatever the answer, no offset is lost: a
 * thread that dies of an exception commits nothing past the record it was processing (with
 * exactly-once its open transaction is aborted), so that record and everything after it are read
 * again, by a replacement thread or by the next start.
 *
 * <ul>
 *   <li>A transient failure, one that may pass by itself (the schema registry unreachable, timed
 *       out, overloaded or failing for longer than the minute the deserializer waits for it; a
 *       retriable Kafka error such as a timeout), replaces the thread ({@code REPLACE_THREAD}): a
 *       new thread joins the group and reads from the last commit. The dead thread's member stays
 *       in the group until {@code session.timeout.ms} (45 s by default) passes, so its partitions
 *       wait that long. During a long registry outage a thread is thus replaced about every 105 s
 *       (60 s of waiting, 45 s in the group), so analyze rides it out and goes on once the registry
 *       is back. At most {@value #MAX_REPLACEMENTS} replacements in {@link #REPLACEMENT_WINDOW}:
 *       more means the failure comes back at once, and the instance stops.
 *   <li>Anything else (an {@code OutOfMemoryError}, a registry that refuses the client's
 *       credentials, a bug) would fail again on the same record, so the instance stops ({@code
 *       SHUTDOWN_CLIENT}) rather than loop: {@code analyze} exits with status 1 and the other
 *       instances of the application go on with the work.
 * </ul>
 *
 * <p>Either way one ERROR or WARN line says what happened, the cause (the first exception below
 * Kafka Streams' wrappers, with its message), the task, and what to do; the deserialization
 * handler's warning before it names the record's topic, partition and offset. Records that are
 * themselves bad never reach this policy: they go to the dead-letter topic.
 */
public final class StreamThreadFailurePolicy implements StreamsUncaughtExceptionHandler {

    /** Most threads replaced within {@link #REPLACEMENT_WINDOW} before the instance stops. */
    public static final int MAX_REPLACEMENTS = 30;

    /** The window over which replacements are counted. */
    public static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailurePolicy.class);

    private final LongSupplier nanoClock;
    private final Deque<Long> replacedAtNanos = new ArrayDeque<>();
    private final AtomicInteger replacements = new AtomicInteger();

    public StreamThreadFailurePolicy() {
        this(System::nanoTime);
    }

    StreamThreadFailurePolicy(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        String thread = Thread.currentThread().getName();
        Throwable cause = belowStreams(exception);
        if (!isTransient(exception)) {
            LOG.error(
                    "analyze stops: stream thread {} died of {}{}. Nothing is committed past the"
                            + " record it was processing: remove the cause{} and start analyze"
                            + " again; it goes on from the last committed offset",
                    thread,
                    describe(cause),
                    task(exception),
                    cause instanceof OutOfMemoryError
                            ? " (raise the heap: -Xmx in LOADSTREAM_JAVA_OPTS)"
                            : "");
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        int recent = recordReplacement();
        if (recent > MAX_REPLACEMENTS) {
            LOG.error(
                    "analyze stops: stream thread {} failed again on a transient error after {}"
                            + " thread replacements in {} min: {}{}. Nothing is committed past the"
                            + " record it was processing: start analyze again once the cause is"
                            + " gone; it goes on from the last committed offset",
                    thread,
                    MAX_REPLACEMENTS,
                    REPLACEMENT_WINDOW.toMinutes(),
                    describe(cause),
                    task(exception));
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.incrementAndGet();
        LOG.warn(
                "Stream thread {} failed on a transient error: {}{}; replacing it ({} of at most {}"
                        + " in {} min), it reads again from the last commit",
                thread,
                describe(cause),
                task(exception),
                recent,
                MAX_REPLACEMENTS,
                REPLACEMENT_WINDOW.toMinutes());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Threads replaced so far. */
    public int replacements() {
        return replacements.get();
    }

    /**
     * Whether {@code exception} may pass by itself: a transient registry failure or a retriable
     * Kafka error anywhere in its cause chain, and no {@link Error}.
     */
    static boolean isTransient(Throwable exception) {
        boolean transientCause = false;
        for (Throwable t : CauseChain.of(exception)) {
            if (t instanceof Error) {
                return false;
            }
            transientCause |=
                    t instanceof SchemaRegistryException registry && registry.isTransient()
                            || t instanceof RetriableException;
        }
        return transientCause;
    }

    /** Counts a replacement now; returns the replacements within the window, this one included. */
    private synchronized int recordReplacement() {
        long now = nanoClock.getAsLong();
        while (!replacedAtNanos.isEmpty()
                && now - replacedAtNanos.peekFirst() >= REPLACEMENT_WINDOW.toNanos()) {
            replacedAtNanos.removeFirst();
        }
        replacedAtNanos.addLast(now);
        return replacedAtNanos.size();
    }

    /** The first exception below Kafka Streams' wrappers: what went wrong. */
    static Throwable belowStreams(Throwable exception) {
        Throwable cause = exception;
        while (cause instanceof StreamsException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null
                ? cause.getClass().getName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String task(Throwable exception) {
        for (Throwable t = exception; t instanceof StreamsException streams; t = t.getCause()) {
            if (streams.taskId().isPresent()) {
                return " in task " + streams.taskId().get();
            }
        }
        return "";
    }
}
