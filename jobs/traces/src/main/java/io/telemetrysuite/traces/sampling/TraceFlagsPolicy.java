package io.telemetrysuite.traces.sampling;

/** {@code trace_flags}: keeps a trace with at least one span whose W3C trace flags have the sampled bit set. */
public final class TraceFlagsPolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        // The low byte of the OTLP span flags is the W3C trace-flags byte; bit 0 is "sampled".
        return SpanMatch.anySpan(trace, span -> (span.flags & 0x01) != 0);
    }
}
