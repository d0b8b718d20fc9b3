package io.loadstream.analytics.alerting;

import io.loadstream.avro.Alert;
import io.loadstream.avro.AlertKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of the alert store. The bytes are the store's and its changelog's, never read outside
 * analyze, so they need no schema registry: keys and the last alert are Avro single-object encoded
 * (with the schema's fingerprint), the state machine a fixed layout with a format byte.
 */
final class TrackedAlertSerdes {

    private static final BinaryMessageEncoder<AlertKey> KEY_ENCODER =
            new BinaryMessageEncoder<>(SpecificData.get(), AlertKey.getClassSchema());
    private static final BinaryMessageDecoder<AlertKey> KEY_DECODER =
            new BinaryMessageDecoder<>(SpecificData.get(), AlertKey.getClassSchema());
    private static final BinaryMessageEncoder<Alert> ALERT_ENCODER =
            new BinaryMessageEncoder<>(SpecificData.get(), Alert.getClassSchema());
    private static final BinaryMessageDecoder<Alert> ALERT_DECODER =
            new BinaryMessageDecoder<>(SpecificData.get(), Alert.getClassSchema());

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
            if (tracked.last() == null) {
                out.writeInt(-1);
            } else {
                byte[] alert = bytes(encode(ALERT_ENCODER, tracked.last()));
                out.writeInt(alert.length);
                out.write(alert);
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
            int length = in.readInt();
            Alert last = length < 0 ? null : decode(ALERT_DECODER, in.readNBytes(length));
            return new TrackedAlert(machine, last, runEndedAtMs);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable alert state: " + e.getMessage(), e);
        }
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
