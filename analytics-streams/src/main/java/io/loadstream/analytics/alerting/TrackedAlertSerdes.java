package io.loadstream.analytics.alerting;

import io.loadstream.avro.AlertKey;
import io.loadstream.avro.AlertState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of the alert store. The bytes are the store's and its changelog's, never read outside
 * analyze, so they need no schema registry: keys are Avro single-object encoded ({@code AlertKey}
 * with its schema's fingerprint), values a fixed layout behind a format byte (the state machine,
 * then what is kept of the last alert), which does not depend on the {@code Alert} schema.
 */
final class TrackedAlertSerdes {

    private static final BinaryMessageEncoder<AlertKey> KEY_ENCODER =
            new BinaryMessageEncoder<>(SpecificData.get(), AlertKey.getClassSchema());
    private static final BinaryMessageDecoder<AlertKey> KEY_DECODER =
            new BinaryMessageDecoder<>(SpecificData.get(), AlertKey.getClassSchema());

    private TrackedAlertSerdes() {}

    static Serde<AlertKey> keys() {
        return Serdes.serdeFrom(
                (topic, key) -> key == null ? null : bytes(encode(KEY_ENCODER, key)),
                (topic, data) -> data == null ? null : decode(KEY_DECODER, data));
    }

    static Serde<TrackedAlert> values() {
        return Serdes.serdeFrom(
                (topic, tracked) -> tracked == null ? null : write(tracked),
                (topic, data) -> data == null ? null : read(data));
    }

    private static byte[] write(TrackedAlert tracked) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            tracked.machine().writeTo(out);
            out.writeLong(tracked.runEndedAtMs());
            LastAlert last = tracked.last();
            out.writeBoolean(last != null);
            if (last != null) {
                out.writeByte(last.state().ordinal());
                writeString(out, last.metric());
                out.writeLong(last.resolutionMs());
                out.writeLong(last.windowEndMs());
                writeMap(out, last.labels());
                writeMap(out, last.annotations());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TrackedAlert read(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            AlertStateMachine machine = AlertStateMachine.readFrom(in);
            long runEndedAtMs = in.readLong();
            LastAlert last = null;
            if (in.readBoolean()) {
                last =
                        new LastAlert(
                                AlertState.values()[in.readByte()],
                                readString(in),
                                in.readLong(),
                                in.readLong(),
                                readMap(in),
                                readMap(in));
            }
            return new TrackedAlert(machine, last, runEndedAtMs);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable alert state: " + e.getMessage(), e);
        }
    }

    private static void writeString(DataOutput out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a string of " + length + " bytes in " + in.available());
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void writeMap(DataOutput out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
    }

    private static Map<String, String> readMap(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > in.available()) {
            throw new IOException("a map of " + size + " entries in " + in.available() + " bytes");
        }
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < size; i++) {
            map.put(readString(in), readString(in));
        }
        return map;
    }

    private static <T> ByteBuffer encode(BinaryMessageEncoder<T> encoder, T value) {
        try {
            return encoder.encode(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T decode(BinaryMessageDecoder<T> decoder, byte[] data) {
        try {
            return decoder.decode(data);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable alert store entry: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
