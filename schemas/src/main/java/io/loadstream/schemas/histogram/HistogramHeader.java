package io.loadstream.schemas.histogram;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The header of HdrHistogram's compressed encoding, read without decoding the counts: the precision
 * and range that decoding would allocate counts for. The compressed form is a cookie, the length of
 * the deflated contents, then the deflated uncompressed encoding, whose first 40 bytes are its
 * cookie, payload length, normalizing index offset, significant digits, lowest discernible value,
 * highest trackable value and the integer-to-double ratio.
 */
record HistogramHeader(int significantDigits, long lowestDiscernible, long highestTrackable) {

    /**
     * Highest trackable value a pipeline histogram can reach: values are clamped to {@link
     * Histograms#HIGHEST_TRACKABLE_US} and auto-resizing at most doubles the range past it.
     */
    static final long HIGHEST_TRACKABLE_BOUND = 4 * Histograms.HIGHEST_TRACKABLE_US;

    private static final int COMPRESSED_HEADER_BYTES = 8;
    private static final int UNCOMPRESSED_HEADER_BYTES = 40;

    /**
     * Reads the header of {@code compressed}.
     *
     * @throws IllegalArgumentException when the bytes are too short or do not inflate
     */
    static HistogramHeader read(byte[] compressed) {
        if (compressed.length <= COMPRESSED_HEADER_BYTES) {
            throw new IllegalArgumentException(
                    "not a compressed HdrHistogram: " + compressed.length + " bytes");
        }
        int deflatedLength = ByteBuffer.wrap(compressed, 4, 4).getInt();
        if (deflatedLength < 0 || deflatedLength > compressed.length - COMPRESSED_HEADER_BYTES) {
            throw new IllegalArgumentException(
                    "not a compressed HdrHistogram: its header claims "
                            + deflatedLength
                            + " compressed bytes in a record of "
                            + compressed.length);
        }
        byte[] header = new byte[UNCOMPRESSED_HEADER_BYTES];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed, COMPRESSED_HEADER_BYTES, deflatedLength);
            int read = 0;
            while (read < header.length && !inflater.finished() && !inflater.needsInput()) {
                read += inflater.inflate(header, read, header.length - read);
            }
            if (read < header.length) {
                throw new IllegalArgumentException(
                        "not a compressed HdrHistogram: " + read + " header bytes inflated");
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException(
                    "not a compressed HdrHistogram: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        ByteBuffer fields = ByteBuffer.wrap(header);
        return new HistogramHeader(fields.getInt(12), fields.getLong(16), fields.getLong(24));
    }

    /**
     * @throws IllegalArgumentException naming the field when the header is not that of a pipeline
     *     histogram ({@link Histograms#create})
     */
    void requirePipelineFormat() {
        if (significantDigits != Histograms.SIGNIFICANT_DIGITS) {
            throw new IllegalArgumentException(
                    "not a pipeline histogram: "
                            + significantDigits
                            + " significant digits, expected "
                            + Histograms.SIGNIFICANT_DIGITS);
        }
        if (lowestDiscernible != 1) {
            throw new IllegalArgumentException(
                    "not a pipeline histogram: lowest discernible value "
                            + lowestDiscernible
                            + ", expected 1");
        }
        if (highestTrackable < 2 || highestTrackable > HIGHEST_TRACKABLE_BOUND) {
            throw new IllegalArgumentException(
                    "not a pipeline histogram: highest trackable value "
                            + highestTrackable
                            + " outside [2, "
                            + HIGHEST_TRACKABLE_BOUND
                            + "]");
        }
    }
}
