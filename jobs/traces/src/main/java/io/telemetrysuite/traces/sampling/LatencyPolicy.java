package io.telemetrysuite.traces.sampling;

import io.telemetrysuite.model.Span;

/**
 * {@code latency}: keeps a trace whose duration, from its earliest start to its latest end, is at
 * least {@code threshold_ms}; with {@code upper_threshold_ms} set, one that is longer than {@code
 * threshold_ms} and at most {@code upper_threshold_ms}.
 *
 * <p>As in the Collector, the earliest start and latest end grow span by span in arrival order and
 * the trace is kept as soon as the range seen so far qualifies; so with an upper threshold a trace
 * whose first spans already fall inside the window is kept even if later spans stretch it beyond.
 * Durations are whole milliseconds, truncated, as Go's {@code Duration.Milliseconds()} gives them. A
 * start or end of 0 counts as unset, as the Collector's zero timestamp does.
 */
public final class LatencyPolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    private final long thresholdMs;
    private final long upperThresholdMs;

    /** @param upperThresholdMs 0 for no upper bound */
    public LatencyPolicy(long thresholdMs, long upperThresholdMs) {
        this.thresholdMs = thresholdMs;
        this.upperThresholdMs = upperThresholdMs;
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        long minTime = 0;
        long maxTime = 0;
        for (Span span : trace.spans()) {
            if (minTime == 0 || span.startTimeUnixNano < minTime) minTime = span.startTimeUnixNano;
            if (maxTime == 0 || span.endTimeUnixNano > maxTime) maxTime = span.endTimeUnixNano;
            long ms = (maxTime - minTime) / 1_000_000L;
            boolean match = upperThresholdMs == 0
                    ? ms >= thresholdMs
                    : thresholdMs < ms && ms <= upperThresholdMs;
            if (match) return PolicyDecision.SAMPLED;
        }
        return PolicyDecision.NOT_SAMPLED;
    }
}
