package io.loadstream.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Decodes the Avro binary encoding of one record held in a byte array, refusing any length that the
 * rest of the record could not hold before anything is allocated for it.
 *
 * <p>Avro's own decoder allocates what a length prefix claims and only then finds the bytes
 * missing, so eleven bytes claiming a 1.9 GB string cost 1.9 GB of heap (or an {@code
 * OutOfMemoryError}). Here a string or bytes of {@code n} bytes needs {@code n} bytes left, and an
 * array block or map block of {@code n} items needs at least {@code n} bytes left, since every item
 * takes one byte or more: a map entry starts with its key's length, and an array item is at least
 * one byte unless its type encodes in none ({@code null}, a fixed of size 0, a record of such
 * fields). Writer schemas with such arrays are decoded with {@code zeroByteArrayItems} set: their
 * array counts are then left to Avro's collection limit ({@code
 * org.apache.avro.limits.collectionItems.maxLength}); none of the pipeline's schemas has one.
 *
 * <pre>{@code
 * BoundedDecoder decoder = new BoundedDecoder(bytes, 5, bytes.length - 5, false);
 * T record = datumReader.read(null, decoder); // LengthBeyondRecordException for a lying length
 * }</pre>
 */
final class BoundedDecoder extends Decoder {

    private final byte[] data;
    private final int start;
    private final int end;
    private final boolean zeroByteArrayItems;
    private int position;

    /**
     * A decoder of {@code data[offset .. offset + length)}; {@code zeroByteArrayItems} when the
     * writer schema has an array whose items can encode in no bytes ({@link
     * #hasZeroByteArrayItems(Schema)}).
     */
    BoundedDecoder(byte[] data, int offset, int length, boolean zeroByteArrayItems) {
        this.data = data;
        this.start = offset;
        this.end = offset + length;
        this.zeroByteArrayItems = zeroByteArrayItems;
        this.position = offset;
    }

    /** Whether every byte has been read. */
    boolean isEnd() {
        return position == end;
    }

    @Override
    public void readNull() {}

    @Override
    public boolean readBoolean() throws IOException {
        return next() == 1;
    }

    @Override
    public int readInt() throws IOException {
        long value = readLong();
        if (value != (int) value) {
            throw new IOException("int out of range: " + value + " at byte " + (position - start));
        }
        return (int) value;
    }

    @Override
    public long readLong() throws IOException {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = next();
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1); // zig-zag back to two's complement
            }
        }
        throw new IOException("variable-length number longer than 10 bytes at " + where());
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat((int) littleEndian(4));
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(littleEndian(8));
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = length("string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        copy(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        int length = length("string");
        String text = new String(data, position, length, StandardCharsets.UTF_8);
        position += length;
        return text;
    }

    @Override
    public void skipString() throws IOException {
        position += length("string");
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = length("bytes");
        ByteBuffer result =
                old != null && old.capacity() >= length ? old.clear() : ByteBuffer.allocate(length);
        result.put(data, position, length).flip();
        position += length;
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        position += length("bytes");
    }

    @Override
    public void readFixed(byte[] bytes, int offset, int length) throws IOException {
        require(length);
        copy(bytes, offset, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        require(length);
        position += length;
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
    }

    @Override
    public long readArrayStart() throws IOException {
        return blockCount("array", zeroByteArrayItems);
    }

    @Override
    public long arrayNext() throws IOException {
        return blockCount("array", zeroByteArrayItems);
    }

    @Override
    public long skipArray() throws IOException {
        return skipBlocks("array", zeroByteArrayItems);
    }

    @Override
    public long readMapStart() throws IOException {
        return blockCount("map", false);
    }

    @Override
    public long mapNext() throws IOException {
        return blockCount("map", false);
    }

    @Override
    public long skipMap() throws IOException {
        return skipBlocks("map", false);
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }

    /**
     * The count of the next block of an array or map. A negative count is followed by the block's
     * size in bytes, which writers that can skip blocks add.
     */
    private long blockCount(String what, boolean itemsMayBeEmpty) throws IOException {
        long count = readLong();
        if (count < 0) {
            count = -count;
            checkLength(what + " block", readLong(), "bytes");
        }
        return itemsMayBeEmpty ? count : checkLength(what, count, "items");
    }

    /**
     * Skips the blocks that carry their size; returns the count of the first that does not, whose
     * items the caller skips one by one, or 0 at the end.
     */
    private long skipBlocks(String what, boolean itemsMayBeEmpty) throws IOException {
        long count = readLong();
        while (count < 0) {
            position += checkLength(what + " block", readLong(), "bytes");
            count = readLong();
        }
        return itemsMayBeEmpty ? count : checkLength(what, count, "items");
    }

    /** Reads a length prefix and checks that the rest of the record holds that many bytes. */
    private int length(String what) throws IOException {
        return (int) checkLength(what, readLong(), "bytes");
    }

    /**
     * Checks that {@code length} {@code unit} of a {@code what} fit in the rest of the record, one
     * byte or more each; the message is built only when they do not.
     */
    private long checkLength(String what, long length, String unit) throws IOException {
        if (length < 0 || length > end - position) {
            throw new LengthBeyondRecordException(
                    what
                            + " of "
                            + length
                            + " "
                            + unit
                            + " at "
                            + where()
                            + (length < 0
                                    ? " has a negative length"
                                    : " is longer than the " + (end - position) + " bytes left"));
        }
        return length;
    }

    private void require(int length) throws EOFException {
        if (length > end - position) {
            throw new EOFException(length + " bytes needed at " + where());
        }
    }

    private void copy(byte[] target, int offset, int length) {
        System.arraycopy(data, position, target, offset, length);
        position += length;
    }

    private int next() throws EOFException {
        if (position >= end) {
            throw new EOFException("payload ends at byte " + (end - start));
        }
        return data[position++] & 0xff;
    }

    private long littleEndian(int bytes) throws EOFException {
        require(bytes);
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value |= (long) (data[position++] & 0xff) << (8 * i);
        }
        return value;
    }

    private String where() {
        return "byte " + (position - start) + " of a " + (end - start) + "-byte payload";
    }

    /**
     * Whether {@code schema} has an array whose items can encode in no bytes: {@code null}, a fixed
     * of size 0, or a record of only such fields.
     */
    static boolean hasZeroByteArrayItems(Schema schema) {
        return hasZeroByteArrayItems(schema, new HashSet<>());
    }

    private static boolean hasZeroByteArrayItems(Schema schema, Set<String> seen) {
        return switch (schema.getType()) {
            case ARRAY ->
                    isZeroBytes(schema.getElementType(), new HashSet<>())
                            || hasZeroByteArrayItems(schema.getElementType(), seen);
            case MAP -> hasZeroByteArrayItems(schema.getValueType(), seen);
            case UNION -> schema.getTypes().stream().anyMatch(t -> hasZeroByteArrayItems(t, seen));
            case RECORD ->
                    seen.add(schema.getFullName())
                            && schema.getFields().stream()
                                    .anyMatch(f -> hasZeroByteArrayItems(f.schema(), seen));
            default -> false;
        };
    }

    private static boolean isZeroBytes(Schema schema, Set<String> inProgress) {
        return switch (schema.getType()) {
            case NULL -> true;
            case FIXED -> schema.getFixedSize() == 0;
            // a record that contains itself without a union or collection cannot end
            case RECORD ->
                    inProgress.add(schema.getFullName())
                            && schema.getFields().stream()
                                    .allMatch(f -> isZeroBytes(f.schema(), inProgress));
            default -> false;
        };
    }

    /** A length prefix claims more than the rest of the record holds. */
    static final class LengthBeyondRecordException extends IOException {
        LengthBeyondRecordException(String message) {
            super(message);
        }
    }
}
