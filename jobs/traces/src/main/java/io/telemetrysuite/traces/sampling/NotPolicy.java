package io.telemetrysuite.traces.sampling;

/**
 * {@code not}: the opposite of its {@code not_sub_policy}'s vote, SAMPLED for NOT_SAMPLED and back.
 * Any other vote (an inverted one) passes through unchanged, as in the Collector.
 */
public final class NotPolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    private final TracePolicy subPolicy;

    public NotPolicy(TracePolicy subPolicy) {
        this.subPolicy = subPolicy;
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        PolicyDecision d = subPolicy.evaluate(trace);
        switch (d) {
            case SAMPLED: return PolicyDecision.NOT_SAMPLED;
            case NOT_SAMPLED: return PolicyDecision.SAMPLED;
            default: return d;
        }
    }

    @Override
    public TracePolicy fresh() {
        return new NotPolicy(subPolicy.fresh());
    }
}
