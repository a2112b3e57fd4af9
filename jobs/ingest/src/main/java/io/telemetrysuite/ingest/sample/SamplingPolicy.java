package io.telemetrysuite.ingest.sample;

import io.telemetrysuite.model.Span;

/**
 * The sampling rules without Flink: which spans are priority, how a new trace is decided, what a kept
 * span carries. {@link TraceSampler} applies it with the decisions in keyed state; the benchmark's
 * plain-Java baseline applies it with a map.
 */
public final class SamplingPolicy {
    private static final double TWO_POW_56 = 0x1p56;

    private final SamplingConfig config;
    private final ServiceRateEstimator rates;

    /** @param parallelism how many instances share the budget (traces are spread evenly by key) */
    public SamplingPolicy(SamplingConfig config, int parallelism) {
        this.config = config;
        this.rates = new ServiceRateEstimator(config.spansPerSecondPerService / parallelism, config.rateSmoothing, config.minProbability);
    }

    /** Decides a trace seen for the first time, from its first span. */
    public TraceDecision decideNewTrace(SpanEnvelope first) {
        double p = rates.probability(first.serviceName);
        return new TraceDecision(randomOf(first.traceId) < p, p, first.serviceName);
    }

    /**
     * Applies the trace's decision to one of its spans: true if the span is kept, in which case its
     * {@code adjustedCount} and {@code sampledBy} are set.
     */
    public boolean apply(TraceDecision trace, SpanEnvelope span) {
        boolean priority = span.error || span.durationNanos() > config.slowThresholdNanos(span.route);
        rates.record(trace.decidingService, span.startTimeUnixNano / 1_000_000_000L, priority);
        if (priority) {
            span.adjustedCount = 1.0;
            span.sampledBy = span.error ? Span.SampledBy.ERROR : Span.SampledBy.SLOW;
            return true;
        }
        if (trace.kept) {
            span.adjustedCount = 1.0 / trace.probability;
            span.sampledBy = Span.SampledBy.PROBABILITY;
            return true;
        }
        return false;
    }

    /**
     * A uniform number in [0, 1) from the trace id's last 56 bits, the bits W3C Trace Context level 2
     * and OpenTelemetry's consistent probability sampling declare random.
     */
    static double randomOf(String traceIdHex) {
        int len = traceIdHex.length();
        long bits = 0;
        for (int i = Math.max(0, len - 14); i < len; i++) {
            bits = (bits << 4) | Character.digit(traceIdHex.charAt(i), 16);
        }
        return bits / TWO_POW_56;
    }
}
