package io.telemetrysuite.ingest.sample;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** How the ingest job samples spans. Defaults here are the documented defaults (README, "Configuration"). */
public class SamplingConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Off by default in {@code run} (every valid span appears once); the demo and cluster configs turn it on. */
    public boolean enabled = false;
    /** Kept spans per second of event time, per deciding service, over all parallel instances. */
    public double spansPerSecondPerService = 1000.0;
    /** Spans slower than this are always kept, unless their route has its own threshold. */
    public Duration defaultSlowThreshold = Duration.ofSeconds(1);
    /** Per-route thresholds, keyed by {@code http.route} (or the span name when there is no route). */
    public Map<String, Duration> slowThresholdByRoute = new HashMap<>();
    /** The probability never falls below this, so every service stays visible. */
    public double minProbability = 0.0001;
    /** How long a trace's decision is remembered (processing time) for spans that arrive later. */
    public Duration decisionTtl = Duration.ofMinutes(10);
    /** Weight of the newest second in the rate estimate (exponentially weighted moving average). */
    public double rateSmoothing = 0.3;

    public SamplingConfig() {}

    public long slowThresholdNanos(String route) {
        Duration threshold = route == null ? null : slowThresholdByRoute.get(route);
        return (threshold != null ? threshold : defaultSlowThreshold).toNanos();
    }
}
