package io.loadstream.analytics.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Routes records that a processor rejected ({@link RejectedRecordException}) to the dead-letter
 * topic: the source record's raw key and value, with headers naming the reason, the source topic,
 * partition and offset. Kafka Streams writes them in the task's transaction and goes on with the
 * next record. Any other exception is a fault, and fails the application.
 *
 * <p>Configured with {@link DeadLetterDeserializationHandler#TOPIC_CONFIG} and, to share the
 * counts, {@link DeadLetterCounts#CONFIG_KEY}.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private String topic;
    private DeadLetterCounts counts = new DeadLetterCounts();

    @Override
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get(DeadLetterDeserializationHandler.TOPIC_CONFIG);
        if (!(configured instanceof String name) || name.isBlank()) {
            throw new ConfigException(
                    DeadLetterDeserializationHandler.TOPIC_CONFIG,
                    configured,
                    "the dead-letter topic must be set");
        }
        topic = name;
        if (configs.get(DeadLetterCounts.CONFIG_KEY) instanceof DeadLetterCounts shared) {
            counts = shared;
        }
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!(exception instanceof RejectedRecordException rejected)) {
            return Response.fail();
        }
        Headers headers =
                DeadLetterHeaders.of(
                        rejected.reason(),
                        rejected.getMessage(),
                        context.topic(),
                        context.partition(),
                        context.offset());
        headers.add(DeadLetterHeaders.PROCESSOR, bytes(context.processorNodeId()));
        counts.increment(rejected.reason());
        return Response.resume(
                List.of(
                        new ProducerRecord<>(
                                topic,
                                null,
                                context.sourceRawKey(),
                                context.sourceRawValue(),
                                headers)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
