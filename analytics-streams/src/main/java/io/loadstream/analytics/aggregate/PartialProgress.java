package io.loadstream.analytics.aggregate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How far a source of partials has progressed, carried in the headers of the partials it writes:
 * the source (a stage 1 task) and the event time before which its windows are complete, so that
 * stage 2 can close a window once every source it hears from has passed it, however far apart the
 * sources are in event time (one catching up on a backlog, another live).
 *
 * @param source who wrote the partial
 * @param completeBeforeMs the source sends no more (non-late) partials for windows that end at or
 *     before this time
 */
record PartialProgress(String source, long completeBeforeMs) {

    static final String SOURCE_HEADER = "loadstream.partial.source";
    static final String COMPLETE_BEFORE_HEADER = "loadstream.partial.complete-before-ms";

    Headers toHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
        headers.add(
                COMPLETE_BEFORE_HEADER,
                ByteBuffer.allocate(Long.BYTES).putLong(completeBeforeMs).array());
        return headers;
    }

    /** The progress in {@code headers}, or null when a generator wrote the partial itself. */
    static PartialProgress fromHeaders(Headers headers) {
        Header source = headers.lastHeader(SOURCE_HEADER);
        Header completeBefore = headers.lastHeader(COMPLETE_BEFORE_HEADER);
        if (source == null
                || completeBefore == null
                || completeBefore.value() == null
                || completeBefore.value().length != Long.BYTES) {
            return null;
        }
        return new PartialProgress(
                new String(source.value(), StandardCharsets.UTF_8),
                ByteBuffer.wrap(completeBefore.value()).getLong());
    }
}
