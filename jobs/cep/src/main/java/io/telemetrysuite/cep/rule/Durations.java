package io.telemetrysuite.cep.rule;

import java.time.Duration;

/** Durations written the way rule files write them ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}): the largest unit that divides exactly. */
public final class Durations {
    private Durations() {}

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return "0s";
        if (ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0) return ms / 60_000L + "m";
        if (ms % 1_000L == 0) return ms / 1_000L + "s";
        return ms + "ms";
    }
}
