package io.loadstream.analytics.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead-letter record: why it was refused and where it came from, each as UTF-8
 * text so that {@code kafka-console-consumer --property print.headers=true} shows them as they are.
 *
 * <pre>{@code
 * Headers headers = DeadLetterHeaders.of(DeadLetterReason.NEGATIVE_LATENCY, "latencyUs is -5",
 *         "timings", 3, 1042L);
 * DeadLetterHeaders.reason(headers); // "negative-latency"
 * }</pre>
 */
public final class DeadLetterHeaders {

    /** The {@link DeadLetterReason#label()} of the reason. */
    public static final String REASON = "loadstream.dead-letter.reason";

    /** What was wrong, for people; at most {@link #MAX_DETAIL_LENGTH} characters. */
    public static final String DETAIL = "loadstream.dead-letter.detail";

    /** The topic the record was read from. */
    public static final String SOURCE_TOPIC = "loadstream.dead-letter.source-topic";

    /** The partition the record was read from, in decimal. */
    public static final String SOURCE_PARTITION = "loadstream.dead-letter.source-partition";

    /** The offset of the record in its partition, in decimal. */
    public static final String SOURCE_OFFSET = "loadstream.dead-letter.source-offset";

    /** The topology node that refused the record. */
    public static final String PROCESSOR = "loadstream.dead-letter.processor";

    /** Longest detail kept; exception messages can quote whole payloads. */
    public static final int MAX_DETAIL_LENGTH = 500;

    private DeadLetterHeaders() {}

    /**
     * The headers of a record refused for {@code reason}, read at {@code topic}/{@code
     * partition}/{@code offset}.
     */
    public static Headers of(
            DeadLetterReason reason, String detail, String topic, int partition, long offset) {
        Objects.requireNonNull(reason, "reason");
        RecordHeaders headers = new RecordHeaders();
        add(headers, REASON, reason.label());
        add(headers, DETAIL, truncate(detail == null ? "" : detail));
        add(headers, SOURCE_TOPIC, topic == null ? "" : topic);
        add(headers, SOURCE_PARTITION, Integer.toString(partition));
        add(headers, SOURCE_OFFSET, Long.toString(offset));
        return headers;
    }

    /** Adds a header with a UTF-8 text value. */
    public static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The text of the last header called {@code name}, or null when there is none. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? null
                : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The reason label, or null when the headers are not a dead letter's. */
    public static String reason(Headers headers) {
        return text(headers, REASON);
    }

    public static String detail(Headers headers) {
        return text(headers, DETAIL);
    }

    public static String sourceTopic(Headers headers) {
        return text(headers, SOURCE_TOPIC);
    }

    /**
     * The source partition; throws NumberFormatException when the header is absent or not a number.
     */
    public static int sourcePartition(Headers headers) {
        return Integer.parseInt(text(headers, SOURCE_PARTITION));
    }

    /**
     * The source offset; throws NumberFormatException when the header is absent or not a number.
     */
    public static long sourceOffset(Headers headers) {
        return Long.parseLong(text(headers, SOURCE_OFFSET));
    }

    public static String processor(Headers headers) {
        return text(headers, PROCESSOR);
    }

    private static String truncate(String detail) {
        if (detail.length() <= MAX_DETAIL_LENGTH) {
            return detail;
        }
        int end = MAX_DETAIL_LENGTH;
        // do not split a surrogate pair, which would not encode as UTF-8
        if (Character.isHighSurrogate(detail.charAt(end - 1))) {
            end--;
        }
        return detail.substring(0, end);
    }
}
