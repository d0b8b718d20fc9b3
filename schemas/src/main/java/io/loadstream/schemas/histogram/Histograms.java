package io.loadstream.schemas.histogram;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The one latency histogram format of the pipeline: HdrHistogram with 3 significant digits over
 * microseconds, values clamped to one hour, auto-resizing so that an empty histogram is small;
 * encoded with HdrHistogram's compressed encoding wherever it travels (IntervalHistogram,
 * WindowStats). Generators in histogram mode and the analytics both use it, so their histograms
 * merge without loss.
 *
 * <pre>{@code
 * Histogram h = Histograms.create();
 * h.recordValue(Histograms.clamp(latencyUs));
 * ByteBuffer wire = Histograms.encode(h);
 * Histogram back = Histograms.decode(wire);
 * }</pre>
 */
public final class Histograms {

    /** Highest latency tracked: one hour in microseconds. Larger values are clamped to it. */
    public static final long HIGHEST_TRACKABLE_US = 3_600_000_000L;

    /** Significant decimal digits of every histogram. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private Histograms() {}

    /** An empty histogram in the pipeline's format. */
    public static Histogram create() {
        Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
        histogram.setAutoResize(true);
        return histogram;
    }

    /** A latency in microseconds, clamped to [0, one hour]. */
    public static long clamp(long latencyUs) {
        return Math.max(0, Math.min(latencyUs, HIGHEST_TRACKABLE_US));
    }

    /** HdrHistogram's compressed encoding, in a buffer of its own. */
    public static ByteBuffer encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(encodedSizeBound(histogram));
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        buffer.limit(length);
        buffer.position(0);
        return buffer.slice();
    }

    /**
     * Decodes what {@link #encode} wrote. The header is checked first: HdrHistogram sizes the
     * counts from the range and precision a header claims, so a few hundred bytes claiming 5
     * significant digits over the range of a long would cost tens of megabytes.
     *
     * @throws IllegalArgumentException when the bytes are not a compressed HdrHistogram in the
     *     pipeline's format
     */
    public static Histogram decode(ByteBuffer buffer) {
        // HdrHistogram reads the backing array from index 0, so hand it a buffer of its own
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        HistogramHeader.read(bytes).requirePipelineFormat();
        try {
            Histogram histogram =
                    Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
            histogram.setAutoResize(true);
            return histogram;
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "not a compressed HdrHistogram: " + e.getMessage(), e);
        }
    }

    /** An upper bound of the size of {@link #encode}'s output. */
    public static int encodedSizeBound(Histogram histogram) {
        // deflate can add a little to data it cannot compress
        int raw = histogram.getNeededByteBufferCapacity();
        return raw + raw / 100 + 64;
    }
}
