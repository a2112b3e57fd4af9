package io.telemetrysuite.traces.sampling;

/** {@code always_sample}: keeps every trace. */
public final class AlwaysSamplePolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        return PolicyDecision.SAMPLED;
    }
}
