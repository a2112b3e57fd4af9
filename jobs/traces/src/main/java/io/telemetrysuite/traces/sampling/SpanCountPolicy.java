package io.telemetrysuite.traces.sampling;

/**
 * {@code span_count}: keeps a trace with at least {@code min_spans} spans and, when {@code max_spans}
 * is not 0, at most {@code max_spans} (both inclusive), counting every span received for the trace.
 */
public final class SpanCountPolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    private final int minSpans;
    private final int maxSpans;

    public SpanCountPolicy(int minSpans, int maxSpans) {
        this.minSpans = minSpans;
        this.maxSpans = maxSpans;
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        long count = trace.spanCount();
        if (maxSpans == 0 && count >= minSpans) return PolicyDecision.SAMPLED;
        if (count >= minSpans && count <= maxSpans) return PolicyDecision.SAMPLED;
        return PolicyDecision.NOT_SAMPLED;
    }
}
