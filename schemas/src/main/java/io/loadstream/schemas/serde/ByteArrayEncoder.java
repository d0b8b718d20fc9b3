package io.loadstream.schemas.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;

/**
 * An Avro binary encoder that writes straight into a byte array it reuses, writing the same bytes
 * as Avro's own {@code DirectBinaryEncoder}. Avro's encoders write through an {@code OutputStream},
 * a synchronized call per field into a {@code ByteArrayOutputStream}, and encode each string anew;
 * a generator serializes every timing event, whose labels (run, scenario, endpoint, generator,
 * tags) are the same string instances event after event. So this one keeps the UTF-8 bytes of the
 * strings it wrote last, in a small table indexed by the string's (cached) hash code and matched by
 * identity, and copies them.
 *
 * <pre>{@code
 * ByteArrayEncoder encoder = new ByteArrayEncoder();
 * encoder.reset();
 * record.customEncode(encoder);
 * byte[] bytes = encoder.toByteArray();
 * }</pre>
 *
 * <p>Not thread-safe: one per thread.
 */
final class ByteArrayEncoder extends BinaryEncoder {

    /** Slots of the table of strings whose bytes are kept; a power of two. Labels are a handful. */
    static final int CACHED_STRINGS = 64;

    /** Longer strings are encoded each time: labels are short, error texts may be long. */
    private static final int CACHED_STRING_CHARS = 256;

    private final String[] cachedStrings = new String[CACHED_STRINGS];
    private final byte[][] cachedBytes = new byte[CACHED_STRINGS][];
    private byte[] buf = new byte[256];
    private int pos;

    /** Starts a new record: forgets what was written, keeps the buffer. */
    void reset() {
        pos = 0;
    }

    /** What was written since {@link #reset()}. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    @Override
    public void writeString(String string) {
        if (string.isEmpty()) {
            writeZero();
            return;
        }
        if (string.length() > CACHED_STRING_CHARS) {
            writeBytes(string.getBytes(StandardCharsets.UTF_8));
            return;
        }
        int hash = string.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (CACHED_STRINGS - 1);
        if (cachedStrings[slot] != string) {
            cachedBytes[slot] = string.getBytes(StandardCharsets.UTF_8);
            cachedStrings[slot] = string;
        }
        writeBytes(cachedBytes[slot]);
    }

    @Override
    public void writeBytes(byte[] bytes) {
        writeInt(bytes.length);
        writeFixed(bytes, 0, bytes.length);
    }

    @Override
    public void writeBoolean(boolean b) {
        ensure(1);
        buf[pos++] = (byte) (b ? 1 : 0);
    }

    @Override
    public void writeInt(int n) {
        ensure(5);
        int v = (n << 1) ^ (n >> 31);
        while ((v & ~0x7F) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    @Override
    public void writeLong(long n) {
        ensure(10);
        long v = (n << 1) ^ (n >> 63);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    @Override
    public void writeFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[pos++] = (byte) (bits >>> (8 * i));
        }
    }

    @Override
    public void writeDouble(double d) {
        long bits = Double.doubleToRawLongBits(d);
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (bits >>> (8 * i));
        }
    }

    @Override
    public void writeFixed(byte[] bytes, int start, int len) {
        ensure(len);
        System.arraycopy(bytes, start, buf, pos, len);
        pos += len;
    }

    @Override
    protected void writeZero() {
        ensure(1);
        buf[pos++] = 0;
    }

    /** Nothing waits to be written elsewhere: the bytes are in the array. */
    @Override
    public int bytesBuffered() {
        return 0;
    }

    @Override
    public void flush() {}

    private void ensure(int bytes) {
        if (pos + bytes > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + bytes));
        }
    }
}
