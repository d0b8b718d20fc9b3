package io.loadstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The encoder must write, value for value, the bytes of Avro's own direct binary encoder. */
class ByteArrayEncoderTest {

    @Test
    void shouldWriteNumbersAsAvrosEncoderDoes() throws IOException {
        long[] longs = {
            0,
            1,
            -1,
            63,
            64,
            -64,
            -65,
            Integer.MAX_VALUE,
            Integer.MIN_VALUE,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            1_700_000_000_000_000L
        };
        double[] doubles = {0.0, -0.0, 1.5, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};

        assertSameBytes(
                (encoder, random) -> {
                    for (long n : longs) {
                        encoder.writeLong(n);
                        encoder.writeInt((int) n);
                        encoder.writeFloat((float) n);
                    }
                    for (double d : doubles) {
                        encoder.writeDouble(d);
                        encoder.writeFloat((float) d);
                    }
                    for (int i = 0; i < 1_000; i++) {
                        encoder.writeLong(random.nextLong());
                        encoder.writeInt(random.nextInt());
                        encoder.writeDouble(random.nextDouble() * 1e9);
                        encoder.writeBoolean(random.nextBoolean());
                    }
                });
    }

    @Test
    void shouldWriteStringsAsAvrosEncoderDoesWhetherRepeatedOrNot() throws IOException {
        String label = "endpoint-é-\uD83D\uDE80"; // two-byte and four-byte UTF-8
        String lone = "broken \uD800 surrogate";
        String longText = "x".repeat(300) + "ü";

        assertSameBytes(
                (encoder, random) -> {
                    for (int i = 0; i < 2 * ByteArrayEncoder.CACHED_STRINGS + 7; i++) {
                        encoder.writeString(label);
                        encoder.writeString(lone);
                        encoder.writeString(longText);
                        encoder.writeString("");
                        encoder.writeString(
                                randomText(random)); // new each time: the cache starts again
                        encoder.writeIndex(i % 2);
                        encoder.writeEnum(i % 7);
                        encoder.writeBytes(new byte[i % 5]);
                    }
                });
    }

    private static String randomText(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(random.nextInt(3) == 0 ? random.nextInt(0x10000) : 'a' + i % 26);
        }
        return text.toString();
    }

    private interface Writes {
        /** Writes to {@code encoder}, drawing from {@code random}, the same for both encoders. */
        void to(Encoder encoder, SplittableRandom random) throws IOException;
    }

    private static void assertSameBytes(Writes writes) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        BinaryEncoder avro = EncoderFactory.get().directBinaryEncoder(stream, null);
        writes.to(avro, new SplittableRandom(11));
        avro.flush();
        ByteArrayEncoder ours = new ByteArrayEncoder();
        ours.reset();
        writes.to(ours, new SplittableRandom(11));

        assertThat(ours.toByteArray()).isEqualTo(stream.toByteArray());

        ours.reset();
        assertThat(ours.toByteArray()).isEmpty();
    }
}
