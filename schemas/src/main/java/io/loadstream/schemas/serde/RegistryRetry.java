package io.loadstream.schemas.serde;

import io.loadstream.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Asks the schema registry again while it fails {@linkplain SchemaRegistryException#isTransient()
 * transiently} (unreachable, timed out, 429, 5xx), waiting 100 ms, 200 ms, 400 ms ... at most 1 s
 * between attempts, and starts no attempt after a budget of 60 s; then the last failure is thrown,
 * saying how long it was tried. A definite answer (a 404, a refusal) is thrown at once.
 *
 * <p>The budget is how long a deserializer holds a Kafka Streams thread while the registry is away:
 * the thread waits with the record in hand rather than skip it, so a blip of up to a minute costs
 * nothing but the wait. It stays well inside the 5 minute {@code max.poll.interval.ms}, past which
 * the consumer would leave the group. Two things bound it from the other side. A transaction open
 * when the wait begins is aborted by the broker after {@code transaction.timeout.ms} (10 s with
 * Streams' exactly-once); Streams then finds its producer fenced, closes the tasks and rejoins the
 * group, re-reading from the last commit: nothing lost or counted twice. And a stream thread that
 * fails instead is replaced only after its old group member times out ({@code session.timeout.ms},
 * 45 s by default), so waiting is the cheaper way through a short outage. Past the budget the
 * caller fails the record (the thread dies without committing and is replaced). One attempt can
 * itself take up to {@code schema.registry.timeout.ms} when the registry accepts connections but
 * does not answer.
 *
 * <pre>{@code
 * Schema writer = RegistryRetry.DEFAULT.call(() -> registry.schemaById(id));
 * }</pre>
 */
final class RegistryRetry {

    /** Waits that only interrupting the thread ends early. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    static final RegistryRetry DEFAULT =
            new RegistryRetry(
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(60),
                    System::nanoTime,
                    nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));

    private final long firstWaitNanos;
    private final long maxWaitNanos;
    private final long budgetNanos;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;

    RegistryRetry(
            Duration firstWait,
            Duration maxWait,
            Duration budget,
            LongSupplier nanoClock,
            Sleeper sleeper) {
        this.firstWaitNanos = firstWait.toNanos();
        this.maxWaitNanos = maxWait.toNanos();
        this.budgetNanos = budget.toNanos();
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /**
     * The result of {@code call}, asked again after transient failures within the budget.
     *
     * @throws SchemaRegistryException the first definite failure, or the last transient one once
     *     the budget is spent, with the attempts and time in its message
     */
    <T> T call(Supplier<T> call) {
        long start = nanoClock.getAsLong();
        long wait = firstWaitNanos;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SchemaRegistryException e) {
                long elapsed = nanoClock.getAsLong() - start;
                if (!e.isTransient() || elapsed + wait > budgetNanos) {
                    throw attempt == 1 ? e : gaveUp(e, attempt, elapsed);
                }
                pause(wait, e);
                wait = Math.min(wait * 2, maxWaitNanos);
            }
        }
    }

    private void pause(long nanos, SchemaRegistryException failure) {
        try {
            sleeper.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            SchemaRegistryException interrupted =
                    new SchemaRegistryException(
                            failure.status(),
                            failure.errorCode(),
                            "interrupted while waiting to ask the schema registry again: "
                                    + failure.getMessage(),
                            failure);
            interrupted.addSuppressed(e);
            throw interrupted;
        }
    }

    private static SchemaRegistryException gaveUp(
            SchemaRegistryException last, int attempts, long elapsedNanos) {
        return new SchemaRegistryException(
                last.status(),
                last.errorCode(),
                last.getMessage()
                        + " (tried "
                        + attempts
                        + " times in "
                        + elapsedNanos / 1_000_000
                        + " ms)",
                last);
    }
}
