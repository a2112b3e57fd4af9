package io.telemetrysuite.traces.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code and}: keeps a trace only when every {@code and_sub_policy} keeps it. Sub-policies run in
 * order and stop at the first that votes {@link PolicyDecision#NOT_SAMPLED} or
 * {@link PolicyDecision#INVERT_NOT_SAMPLED} (later, possibly rate-limiting, sub-policies are then not
 * charged); an inverted sample counts as a sample.
 */
public final class AndPolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    private final List<TracePolicy> subPolicies;

    public AndPolicy(List<TracePolicy> subPolicies) {
        this.subPolicies = List.copyOf(subPolicies);
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        for (TracePolicy sub : subPolicies) {
            PolicyDecision d = sub.evaluate(trace);
            if (d == PolicyDecision.NOT_SAMPLED || d == PolicyDecision.INVERT_NOT_SAMPLED) return PolicyDecision.NOT_SAMPLED;
        }
        return PolicyDecision.SAMPLED;
    }

    @Override
    public TracePolicy fresh() {
        List<TracePolicy> copies = new ArrayList<>();
        for (TracePolicy p : subPolicies) copies.add(p.fresh());
        return new AndPolicy(copies);
    }
}
