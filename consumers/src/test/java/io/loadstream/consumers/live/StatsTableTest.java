package io.loadstream.consumers.live;

import static io.loadstream.consumers.ResultRecords.stats;
import static io.loadstream.consumers.ResultRecords.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.avro.WindowStats;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTableTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    @Test
    void shouldShowEachWindowInMillisecondsWithItsStartTimeAndErrorPercentage() {
        WindowStats home = window("r1", "home", 1_000, T0, true);

        List<String> lines = StatsTable.windows(List.of(home)).lines().toList();

        assertThat(lines)
                .containsExactly(
                        "endpoint           window     req/s    p50 ms    p95 ms    p99 ms  "
                                + " errors",
                        "home             "
                                + TIME.format(Instant.ofEpochMilli(T0))
                                + "     100.0      1.50      2.50      4.75    1.00%");
    }

    @Test
    void shouldShowEachSummaryWithItsCountsAndTheUncorrectedP99() {
        WindowStats search =
                stats("r1", "search", 0, T0, 12_345)
                        .setThroughput(205.75)
                        .setMaxUs(1_234_567)
                        .build();

        List<String> lines = StatsTable.summaries(List.of(search)).lines().toList();

        assertThat(lines)
                .containsExactly(
                        "endpoint             count  errors     req/s    p50 ms    p95 ms    p99 ms"
                                + "    max ms  raw p99 ms",
                        "search               12345     123     205.8      1.50      2.50      4.75"
                                + "   1234.57        3.25");
    }
}
