package io.telemetrysuite.traces.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code drop}: votes {@link PolicyDecision#DROPPED} when every {@code drop_sub_policy} matches
 * (votes a sample, inverted or not), which vetoes the trace whatever the other policies say; votes
 * NOT_SAMPLED as soon as one sub-policy does not match. The decider runs drop policies before all
 * others.
 */
public final class DropPolicy implements TracePolicy {
    private static final long serialVersionUID = 1L;

    private final List<TracePolicy> subPolicies;

    public DropPolicy(List<TracePolicy> subPolicies) {
        this.subPolicies = List.copyOf(subPolicies);
    }

    @Override
    public PolicyDecision evaluate(TraceData trace) {
        for (TracePolicy sub : subPolicies) {
            PolicyDecision d = sub.evaluate(trace);
            if (d == PolicyDecision.NOT_SAMPLED || d == PolicyDecision.INVERT_NOT_SAMPLED) return PolicyDecision.NOT_SAMPLED;
        }
        return PolicyDecision.DROPPED;
    }

    @Override
    public TracePolicy fresh() {
        List<TracePolicy> copies = new ArrayList<>();
        for (TracePolicy p : subPolicies) copies.add(p.fresh());
        return new DropPolicy(copies);
    }
}
