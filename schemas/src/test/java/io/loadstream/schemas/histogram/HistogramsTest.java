package io.loadstream.schemas.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramsTest {

    @Test
    void shouldDecodeWhatItEncoded() {
        Histogram histogram = Histograms.create();
        histogram.recordValue(1_500);
        histogram.recordValue(Histograms.HIGHEST_TRACKABLE_US);

        Histogram back = Histograms.decode(Histograms.encode(histogram));

        assertThat(back).isEqualTo(histogram);
        assertThat(back.getTotalCount()).isEqualTo(2);
    }

    /**
     * A few hundred bytes whose header claims 5 significant digits over the whole range of a long
     * would make HdrHistogram allocate tens of megabytes per record: refused from the header.
     */
    @Test
    void shouldRefuseAHeaderOutsideThePipelinesFormatBeforeAllocatingItsCounts() {
        Histogram huge = new Histogram(1, Long.MAX_VALUE / 2, 5);
        ByteBuffer buffer = ByteBuffer.allocate(huge.getNeededByteBufferCapacity());
        buffer.limit(huge.encodeIntoCompressedByteBuffer(buffer)).position(0);
        assertThat(buffer.limit()).as("encoded size").isLessThan(200_000);

        long before = allocatedBytes();
        assertThatThrownBy(() -> Histograms.decode(buffer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("significant digits");
        assertThat(allocatedBytes() - before).as("bytes allocated").isLessThan(4_000_000);
    }

    @Test
    void shouldRefuseBytesThatAreNoHistogram() {
        assertThatThrownBy(() -> Histograms.decode(ByteBuffer.wrap(new byte[] {1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a compressed HdrHistogram");
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
