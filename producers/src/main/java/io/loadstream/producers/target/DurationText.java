package io.loadstream.producers.target;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Writes durations the way {@link io.loadstream.schemas.config.Durations} reads them, in the
 * largest unit that keeps them short: {@code 250us}, {@code 5ms}, {@code 1.5s}, {@code 2m}.
 */
final class DurationText {

    private DurationText() {}

    static String of(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos % 1_000_000 != 0 && Math.abs(nanos) < 1_000_000) {
            return scaled(nanos, 1_000, "us");
        }
        if (Math.abs(nanos) < 1_000_000_000L) {
            return scaled(nanos, 1_000_000, "ms");
        }
        if (Math.abs(nanos) < 60_000_000_000L || nanos % 60_000_000_000L != 0) {
            return scaled(nanos, 1_000_000_000L, "s");
        }
        return scaled(nanos, 60_000_000_000L, "m");
    }

    private static String scaled(long nanos, long nanosPerUnit, String unit) {
        return BigDecimal.valueOf(nanos)
                        .divide(BigDecimal.valueOf(nanosPerUnit))
                        .stripTrailingZeros()
                        .toPlainString()
                + unit;
    }
}
