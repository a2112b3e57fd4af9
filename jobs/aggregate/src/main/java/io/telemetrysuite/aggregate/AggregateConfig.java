package io.telemetrysuite.aggregate;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the aggregate job can be told, with its defaults: the one place they live.
 * {@link AggregateConfigLoader} reads a YAML file over them and the README documents them.
 */
public class AggregateConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_KLL_K = 200;

    /**
     * Window lengths, finest first. The finest is computed from events; each coarser one from the one
     * before it, so each must be a multiple of its predecessor.
     */
    public List<Duration> resolutions = new ArrayList<>(List.of(
            Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1)));
    /** Watermarks trail the largest event time seen by this much. */
    public Duration maxOutOfOrderness = Duration.ofSeconds(5);
    /** A source split silent this long (processing time) stops holding back the watermark. */
    public Duration idleness = Duration.ofSeconds(30);
    /** Windows stay open this long after the watermark passes them; late events re-emit them with update = true. */
    public Duration allowedLateness = Duration.ofMinutes(1);
    /** KLL sketch size: rank error ±1.33 % at 99 % confidence for 200 (see {@link LatencySketch#rankErrorBound}). */
    public int kllK = DEFAULT_KLL_K;

    public AggregateConfig() {}

    /** Checks what the topology relies on; throws with the setting at fault. */
    public AggregateConfig validate() {
        if (resolutions.isEmpty()) throw new IllegalArgumentException("resolutions: at least one is needed");
        Duration previous = null;
        for (Duration r : resolutions) {
            if (r.isNegative() || r.isZero() || r.toMillis() * 1_000_000L != r.toNanos()) {
                throw new IllegalArgumentException("resolutions: " + r + " must be a positive whole number of milliseconds");
            }
            if (previous != null && (r.toMillis() <= previous.toMillis() || r.toMillis() % previous.toMillis() != 0)) {
                throw new IllegalArgumentException("resolutions: " + label(r) + " must be a multiple of the finer " + label(previous)
                        + " (coarser windows are rolled up from finer ones)");
            }
            previous = r;
        }
        if (kllK < 8 || kllK > 65_535) throw new IllegalArgumentException("kllK: must be between 8 and 65535, got " + kllK);
        return this;
    }

    /** How a resolution is written in {@code Aggregate.resolution}, uids and operator names: 10s, 1m, 5m, 1h, 250ms. */
    public static String label(Duration resolution) {
        long ms = resolution.toMillis();
        if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0) return ms / 60_000L + "m";
        if (ms % 1_000L == 0) return ms / 1_000L + "s";
        return ms + "ms";
    }
}
