package io.loadstream.analytics.deadletter;

import io.loadstream.analytics.CauseChain;
import io.loadstream.schemas.registry.RegistryErrors;
import io.loadstream.schemas.registry.SchemaRegistryException;
import io.loadstream.schemas.serde.WireFormatException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be deserialized to the dead-letter topic, raw key and value unchanged,
 * with {@link DeadLetterHeaders} naming the reason and the source, and lets the application go on.
 * Kafka Streams writes the dead letter itself, in the same transaction as the task's output.
 *
 * <pre>{@code
 * props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
 *         DeadLetterDeserializationHandler.class);
 * props.put(DeadLetterDeserializationHandler.TOPIC_CONFIG, topics.deadLetters().name());
 * props.put(DeadLetterCounts.CONFIG_KEY, counts); // optional: shared with the metrics
 * }</pre>
 *
 * <p>Only a record that is itself bad becomes a dead letter: bytes that are not wire-format Avro or
 * do not decode with their schema ({@code unreadable}), or a schema id the registry definitely does
 * not know, error code 40403 ({@code unknown-schema}). When the registry cannot be asked
 * (unreachable, timed out, overloaded, failing, or refusing the client) the record is good but
 * cannot be read now: the handler answers FAIL, so that the stream thread stops before committing
 * past it, and the application's uncaught-exception policy ({@code StreamThreadFailurePolicy})
 * replaces the thread, which reads the record again from the last commit. An exception that is not
 * a {@link SerializationException} is a fault of the deserializer, not of the record, and fails
 * too.
 *
 * <p>Each dead letter is counted. Warnings are logged at most once a second per handler instance,
 * saying how many were left out, so that a topic full of bad records does not flood the log.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    /** Config key of the dead-letter topic's name; required. */
    public static final String TOPIC_CONFIG = "loadstream.dead-letter.topic";

    private static final Logger LOG =
            LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier nanoClock;
    private final AtomicLong nextLogNanos;
    private final AtomicLong unlogged = new AtomicLong();
    private String topic;
    private DeadLetterCounts counts = new DeadLetterCounts();

    /** The handler as Kafka Streams makes it, by reflection. */
    public DeadLetterDeserializationHandler() {
        this(System::nanoTime);
    }

    DeadLetterDeserializationHandler(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.nextLogNanos = new AtomicLong(nanoClock.getAsLong());
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object topicValue = configs.get(TOPIC_CONFIG);
        if (!(topicValue instanceof String name) || name.isBlank()) {
            throw new ConfigException(
                    TOPIC_CONFIG,
                    topicValue,
                    "the dead-letter topic must be set (a topic name) for "
                            + getClass().getSimpleName());
        }
        topic = name;
        Object countsValue = configs.get(DeadLetterCounts.CONFIG_KEY);
        if (countsValue instanceof DeadLetterCounts shared) {
            counts = shared;
        } else if (countsValue != null) {
            throw new ConfigException(
                    DeadLetterCounts.CONFIG_KEY,
                    countsValue,
                    "must be a " + DeadLetterCounts.class.getName() + " instance");
        }
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        if (topic == null) {
            throw new IllegalStateException(
                    getClass().getSimpleName() + " is not configured: " + TOPIC_CONFIG + " unset");
        }
        Optional<DeadLetterReason> badRecord = reasonOf(exception);
        if (badRecord.isEmpty()) {
            LOG.warn(
                    "Record at {}-{} offset {} cannot be read now ({}); failing the stream thread"
                            + " so that it is read again from the last commit",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    messageOf(exception));
            return Response.fail();
        }
        DeadLetterReason reason = badRecord.get();
        Headers headers =
                DeadLetterHeaders.of(
                        reason,
                        messageOf(exception),
                        context.topic(),
                        context.partition(),
                        context.offset());
        DeadLetterHeaders.add(headers, DeadLetterHeaders.PROCESSOR, nodeId(context));
        counts.increment(reason);
        logThrottled(context, reason);
        return Response.resume(
                List.of(
                        new ProducerRecord<>(
                                topic, null, null, record.key(), record.value(), headers)));
    }

    /** The counts this handler adds to: the shared instance, or a private one. */
    DeadLetterCounts counts() {
        return counts;
    }

    /**
     * Why the record behind a deserialization failure is bad, from the first wire-format or
     * registry error in its cause chain; empty when the record is not to blame: the registry could
     * not be asked, or the deserializer failed with something other than a {@link
     * SerializationException}.
     */
    static Optional<DeadLetterReason> reasonOf(Throwable exception) {
        boolean serialization = false;
        for (Throwable t : CauseChain.of(exception)) {
            if (t instanceof WireFormatException wire) {
                return switch (wire.reason()) {
                    case UNKNOWN_SCHEMA_ID -> Optional.of(DeadLetterReason.UNKNOWN_SCHEMA);
                    case REGISTRY_ERROR -> Optional.empty();
                    default -> Optional.of(DeadLetterReason.UNREADABLE);
                };
            }
            if (t instanceof SchemaRegistryException registry) {
                return registry.errorCode() == RegistryErrors.SCHEMA_NOT_FOUND
                        ? Optional.of(DeadLetterReason.UNKNOWN_SCHEMA)
                        : Optional.empty();
            }
            serialization |= t instanceof SerializationException;
        }
        return serialization ? Optional.of(DeadLetterReason.UNREADABLE) : Optional.empty();
    }

    private static String messageOf(Exception exception) {
        String message = exception.getMessage();
        return message == null ? exception.getClass().getName() : message;
    }

    private static String nodeId(ErrorHandlerContext context) {
        String id = context.processorNodeId();
        return id == null ? "" : id;
    }

    private void logThrottled(ErrorHandlerContext context, DeadLetterReason reason) {
        long now = nanoClock.getAsLong();
        long next = nextLogNanos.get();
        if (now - next < 0 || !nextLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            unlogged.incrementAndGet();
            return;
        }
        long skipped = unlogged.getAndSet(0);
        LOG.warn(
                "Record at {}-{} offset {} cannot be deserialized ({}); sent to dead-letter topic"
                        + " {}{}",
                context.topic(),
                context.partition(),
                context.offset(),
                reason.label(),
                topic,
                skipped == 0 ? "" : " (and " + skipped + " more since the last warning)");
    }

    /** Dead letters not logged since the last warning; for tests. */
    long unloggedSinceLastWarning() {
        return unlogged.get();
    }
}
